// customer-orders: GET /api/customers/:id/orders loads each order's items with a query of its own
// on broken. What it returns is the same on both: the customer's orders that are neither archived
// nor deleted, newest first, each with its items.
import { expect } from 'chai';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { makeShop, measure, settledOrder, warmUp } from '../helpers/factories';

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('customer-orders', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it('returns the customer\'s visible orders with their items, newest first, and nobody else\'s', async () => {
        const shop = await makeShop(t().app);
        const [p1, p2] = [await shop.product({ priceCents: 120 }), await shop.product({ priceCents: 75 })];
        const customer = await shop.customer();
        const other = await shop.customer();
        const mine = [];
        for (let i = 0; i < 6; i += 1) {
          mine.push(await shop.order(customer.id, [{ productId: p1.id, quantity: i + 1 }, { productId: p2.id, quantity: 2 }], i % 2 ? 'draft' : 'paid'));
          await shop.order(other.id, [{ productId: p2.id, quantity: 1 }]);
        }
        await shop.ok('POST', `/api/orders/${mine[1].id}/archive`);
        await shop.ok('DELETE', `/api/orders/${mine[4].id}`);
        const hidden = new Set([mine[1].id, mine[4].id]);

        const expected = await Promise.all(
          mine.filter((o) => !hidden.has(o.id)).reverse().map((o) => settledOrder(shop, o.id)),
        );
        const got = await shop.ok('GET', `/api/customers/${customer.id}/orders`);
        expect(got).to.deep.equal(expected);
        for (const order of got) {
          expect(order.customerId).to.equal(customer.id);
          expect(order.items).to.have.length(2);
        }
      });

      it('answers [] for a customer without orders and 404 for an unknown one or another shop\'s', async () => {
        const shop = await makeShop(t().app);
        const elsewhere = await makeShop(t().app);
        const customer = await shop.customer();
        const stranger = await elsewhere.customer();
        expect(await shop.ok('GET', `/api/customers/${customer.id}/orders`)).to.deep.equal([]);
        for (const id of [stranger.id, 2147483647]) {
          const response = await shop.request('GET', `/api/customers/${id}/orders`);
          expect(response.statusCode).to.equal(404);
          expect(response.json()).to.deep.equal({ statusCode: 404, error: 'Not Found', message: `customer ${id} not found` });
        }
      });

      it(
        expectBug
          ? 'costs one more query per order: 1 order and 10 orders differ (the bug: N+1)'
          : 'costs exactly 2 queries for 1 order and for 10 orders',
        async () => {
          const shop = await makeShop(t().app);
          const product = await shop.product();
          const few = await shop.customer();
          const many = await shop.customer();
          await shop.order(few.id, [{ productId: product.id, quantity: 1 }, { productId: product.id, quantity: 2 }]);
          for (let i = 0; i < 10; i += 1) await shop.order(many.id, [{ productId: product.id, quantity: 1 }, { productId: product.id, quantity: 2 }]);
          await warmUp(shop);
          const one = await measure(shop, 'GET', `/api/customers/${few.id}/orders`);
          const ten = await measure(shop, 'GET', `/api/customers/${many.id}/orders`);
          expect(one.body).to.have.length(1);
          expect(ten.body).to.have.length(10);
          if (expectBug) {
            expect(ten.queries - one.queries).to.be.at.least(ten.body.length - one.body.length);
          } else {
            expect(one.queries).to.equal(2);
            expect(ten.queries).to.equal(2);
          }
        },
      );
    });
  });
});
