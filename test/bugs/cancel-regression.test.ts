// cancel-regression: an "order saved" hook deletes the customer of any order saved as cancelled,
// and the foreign keys cascade to every other order of that customer. The cancel still answers 200.
import { expect } from 'chai';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { makeShop, settledOrder } from '../helpers/factories';

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('cancel-regression', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it(
        expectBug
          ? 'deletes the customer and their other orders when an order is cancelled (the bug)'
          : 'keeps the customer and their other orders when an order is cancelled',
        async () => {
          const shop = await makeShop(t().app);
          const product = await shop.product({ priceCents: 700 });
          const customer = await shop.customer();
          const sibling = await shop.customer();
          const cancelled = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }], 'paid');
          const kept = await shop.order(customer.id, [{ productId: product.id, quantity: 2 }], 'paid');
          const siblingOrder = await shop.order(sibling.id, [{ productId: product.id, quantity: 3 }], 'paid');
          const keptBefore = await settledOrder(shop, kept.id);
          const siblingBefore = await settledOrder(shop, siblingOrder.id);

          const cancel = await shop.request('POST', `/api/orders/${cancelled.id}/cancel`);
          // The damage is silent: the cancel itself succeeds on both variants.
          expect(cancel.statusCode).to.equal(200);
          expect(cancel.json()).to.include({ id: cancelled.id, status: 'cancelled' });

          const customerAfter = await shop.request('GET', `/api/customers/${customer.id}`);
          const keptAfter = await shop.request('GET', `/api/orders/${kept.id}`);
          const cancelledAfter = await shop.request('GET', `/api/orders/${cancelled.id}`);
          const theirOrders = await shop.request('GET', `/api/customers/${customer.id}/orders`);
          if (expectBug) {
            expect(customerAfter.statusCode).to.equal(404);
            expect(keptAfter.statusCode).to.equal(404);
            expect(cancelledAfter.statusCode).to.equal(404);
            expect(theirOrders.statusCode).to.equal(404);
          } else {
            expect(customerAfter.statusCode).to.equal(200);
            expect(customerAfter.json()).to.include({ id: customer.id, email: customer.email });
            expect(keptAfter.statusCode).to.equal(200);
            expect(keptAfter.json()).to.deep.equal(keptBefore);
            expect(cancelledAfter.statusCode).to.equal(200);
            expect(cancelledAfter.json()).to.include({ id: cancelled.id, status: 'cancelled', customerId: customer.id });
            expect(cancelledAfter.json().items).to.deep.equal(cancelled.items);
            expect(theirOrders.statusCode).to.equal(200);
            expect(theirOrders.json().map((o: { id: number }) => o.id)).to.have.members([cancelled.id, kept.id]);
          }
          // Another customer's order is untouched either way.
          expect(await shop.ok('GET', `/api/orders/${siblingOrder.id}`)).to.deep.equal(siblingBefore);
        },
      );

      it(
        expectBug
          ? 'drops the customer from the summary after one cancelled order (the bug)'
          : 'keeps the customer in the summary with the spend of their remaining paid order',
        async () => {
          const shop = await makeShop(t().app);
          const product = await shop.product({ priceCents: 450 });
          const customer = await shop.customer();
          const cancelled = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }], 'paid');
          const kept = await shop.order(customer.id, [{ productId: product.id, quantity: 4 }], 'paid');
          await shop.ok('POST', `/api/orders/${cancelled.id}/cancel`);

          const { rows } = await shop.ok('GET', '/api/orders/summary?limit=10');
          const row = rows.find((r: { customerId: number }) => r.customerId === customer.id);
          if (expectBug) {
            expect(row).to.equal(undefined);
          } else {
            expect(row).to.deep.equal({ customerId: customer.id, email: customer.email, orderCount: 1, totalCents: 4 * 450 });
            expect(kept.totalCents).to.equal(4 * 450);
          }
        },
      );

      it(
        expectBug
          ? 'loses the order on a second cancel, since the first one deleted it (the bug)'
          : 'treats a second cancel as a no-op and archiving a cancelled order keeps its customer',
        async () => {
          const shop = await makeShop(t().app);
          const product = await shop.product();
          const customer = await shop.customer();
          const order = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }], 'paid');
          await shop.ok('POST', `/api/orders/${order.id}/cancel`);

          const again = await shop.request('POST', `/api/orders/${order.id}/cancel`);
          const archive = await shop.request('POST', `/api/orders/${order.id}/archive`);
          const customerAfter = await shop.request('GET', `/api/customers/${customer.id}`);
          if (expectBug) {
            expect(again.statusCode).to.equal(404);
            expect(archive.statusCode).to.equal(404);
            expect(customerAfter.statusCode).to.equal(404);
          } else {
            expect(again.statusCode).to.equal(200);
            expect(again.json()).to.include({ id: order.id, status: 'cancelled' });
            // Archiving saves the cancelled order again: the hook must not fire on that save either.
            expect(archive.statusCode).to.equal(200);
            expect(archive.json()).to.include({ id: order.id, status: 'cancelled', isArchived: true });
            expect(customerAfter.statusCode).to.equal(200);
          }
        },
      );
    });
  });
});
