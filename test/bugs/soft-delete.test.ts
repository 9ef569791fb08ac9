// soft-delete: DELETE /api/orders/:id must mark the order deleted, hide it from lists and keep it
// (with its items) retrievable by id. Broken deletes the row, and its items with it, for good.
import { expect } from 'chai';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { makeShop, settledOrder, type Shop } from '../helpers/factories';

async function twoOrders(shop: Shop) {
  const product = await shop.product({ priceCents: 310 });
  const customer = await shop.customer();
  const doomed = await shop.order(customer.id, [{ productId: product.id, quantity: 2 }, { productId: product.id, quantity: 1 }], 'paid');
  const kept = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }], 'paid');
  return { customer, doomed: await settledOrder(shop, doomed.id), kept: await settledOrder(shop, kept.id) };
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('soft-delete', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it('answers 204 and hides the order from the order list, the customer\'s orders, the summary and analytics', async () => {
        const shop = await makeShop(t().app);
        const { customer, doomed, kept } = await twoOrders(shop);
        const response = await shop.request('DELETE', `/api/orders/${doomed.id}`);
        expect(response.statusCode).to.equal(204);
        expect(response.body).to.equal('');
        const listed = await shop.ok('GET', '/api/orders');
        expect(listed.count).to.equal(1);
        expect(listed.results.map((o: { id: number }) => o.id)).to.deep.equal([kept.id]);
        expect((await shop.ok('GET', `/api/customers/${customer.id}/orders`)).map((o: { id: number }) => o.id)).to.deep.equal([kept.id]);
        const summary = await shop.ok('GET', '/api/orders/summary');
        expect(summary.rows).to.deep.equal([{ customerId: customer.id, email: customer.email, orderCount: 1, totalCents: kept.totalCents }]);
        const analytics = await shop.ok('GET', '/api/analytics');
        expect({ totalOrders: analytics.totalOrders, totalRevenue: analytics.totalRevenue }).to.deep.equal({ totalOrders: 1, totalRevenue: kept.totalCents });
        expect(analytics.topItems.map((i: { quantity: number }) => i.quantity)).to.deep.equal([1]);
        expect(await shop.ok('GET', `/api/orders/${kept.id}`)).to.deep.equal(kept);
      });

      it(
        expectBug
          ? 'destroys the order and its items: GET by id answers 404 (the bug)'
          : 'keeps the order and its items retrievable by id, with deletedAt set',
        async () => {
          const shop = await makeShop(t().app);
          const { doomed } = await twoOrders(shop);
          const startedAt = Date.now();
          await shop.ok('DELETE', `/api/orders/${doomed.id}`);
          const response = await shop.request('GET', `/api/orders/${doomed.id}`);
          if (expectBug) {
            expect(response.statusCode).to.equal(404);
          } else {
            expect(response.statusCode).to.equal(200);
            const after = response.json();
            expect(after.deletedAt).to.be.a('string');
            expect(Date.parse(after.deletedAt)).to.be.closeTo(startedAt, 60_000);
            const { deletedAt: _d, updatedAt: _u, ...rest } = after;
            const { deletedAt: _d0, updatedAt: _u0, ...restBefore } = doomed;
            expect(rest).to.deep.equal(restBefore);
            expect(after.items).to.deep.equal(doomed.items);
          }
        },
      );

      it(
        expectBug
          ? 'answers 404 to a second DELETE of the same order (the bug: it is gone)'
          : 'answers 204 to a second DELETE and keeps the first deletedAt',
        async () => {
          const shop = await makeShop(t().app);
          const { doomed } = await twoOrders(shop);
          await shop.ok('DELETE', `/api/orders/${doomed.id}`);
          const first = await shop.request('GET', `/api/orders/${doomed.id}`);
          const again = await shop.request('DELETE', `/api/orders/${doomed.id}`);
          if (expectBug) {
            expect(again.statusCode).to.equal(404);
          } else {
            expect(again.statusCode).to.equal(204);
            expect((await shop.ok('GET', `/api/orders/${doomed.id}`)).deletedAt).to.equal(first.json().deletedAt);
          }
        },
      );

      it('answers 404 to deleting an order that never existed or belongs to another shop', async () => {
        const shop = await makeShop(t().app);
        const other = await makeShop(t().app);
        const { doomed } = await twoOrders(other);
        for (const id of [2147483647, doomed.id]) {
          const response = await shop.request('DELETE', `/api/orders/${id}`);
          expect(response.statusCode).to.equal(404);
          expect(response.json()).to.deep.equal({ statusCode: 404, error: 'Not Found', message: `order ${id} not found` });
        }
        expect(await other.ok('GET', `/api/orders/${doomed.id}`)).to.deep.equal(doomed);
      });
    });
  });
});
