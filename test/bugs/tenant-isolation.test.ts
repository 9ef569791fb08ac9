// tenant-isolation: broken looks orders up by id alone, so one shop can read, cancel and archive
// another shop's orders by guessing ids.
import { expect } from 'chai';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { makeShop, settledOrder, type Shop } from '../helpers/factories';

async function shopWithOrder(shop: Shop) {
  const product = await shop.product({ priceCents: 990 });
  const customer = await shop.customer();
  const order = await shop.order(customer.id, [{ productId: product.id, quantity: 2 }], 'paid');
  return { customer, order: await settledOrder(shop, order.id) };
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('tenant-isolation', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it(
        expectBug
          ? 'shows shop A\'s order to shop B by id (the bug: a leak)'
          : 'answers 404 to shop B asking for shop A\'s order by id',
        async () => {
          const a = await makeShop(t().app, 'a');
          const b = await makeShop(t().app, 'b');
          const { order } = await shopWithOrder(a);
          const response = await b.request('GET', `/api/orders/${order.id}`);
          if (expectBug) {
            expect(response.statusCode).to.equal(200);
            expect(response.json()).to.deep.equal(order);
          } else {
            expect(response.statusCode).to.equal(404);
            expect(response.json()).to.deep.equal({ statusCode: 404, error: 'Not Found', message: `order ${order.id} not found` });
          }
        },
      );

      it(
        expectBug
          ? 'lets shop B cancel shop A\'s order (the bug)'
          : 'answers 404 to shop B cancelling shop A\'s order, which stays as it was',
        async () => {
          const a = await makeShop(t().app, 'a');
          const b = await makeShop(t().app, 'b');
          const { customer, order } = await shopWithOrder(a);
          const response = await b.request('POST', `/api/orders/${order.id}/cancel`);
          const after = await a.request('GET', `/api/orders/${order.id}`);
          if (expectBug) {
            expect(response.statusCode).to.equal(200);
            // A's order changed: cancelled, and with the cancel regression, gone with its customer.
            expect(after.statusCode === 404 || after.json().status === 'cancelled').to.equal(true);
          } else {
            expect(response.statusCode).to.equal(404);
            expect(after.statusCode).to.equal(200);
            expect(after.json()).to.deep.equal(order);
            expect((await a.request('GET', `/api/customers/${customer.id}`)).statusCode).to.equal(200);
          }
        },
      );

      it(
        expectBug
          ? 'lets shop B archive shop A\'s order (the bug)'
          : 'answers 404 to shop B archiving shop A\'s order, which stays listed in shop A',
        async () => {
          const a = await makeShop(t().app, 'a');
          const b = await makeShop(t().app, 'b');
          const { order } = await shopWithOrder(a);
          const response = await b.request('POST', `/api/orders/${order.id}/archive`);
          const after = await a.ok('GET', `/api/orders/${order.id}`);
          const listed = (await a.ok('GET', '/api/orders')).results.map((o: { id: number }) => o.id);
          if (expectBug) {
            expect(response.statusCode).to.equal(200);
            expect(after.isArchived).to.equal(true);
            expect(listed).to.not.include(order.id);
          } else {
            expect(response.statusCode).to.equal(404);
            expect(after).to.deep.equal(order);
            expect(listed).to.include(order.id);
          }
        },
      );

      it('keeps shop A\'s orders out of shop B\'s list, summary, analytics and deletes, and its customer and product out of reach', async () => {
        const a = await makeShop(t().app, 'a');
        const b = await makeShop(t().app, 'b');
        const { order } = await shopWithOrder(a);
        expect((await b.ok('GET', '/api/orders')).count).to.equal(0);
        expect((await b.ok('GET', `/api/orders?email=${encodeURIComponent(order.customerEmail)}`)).count).to.equal(0);
        expect((await b.ok('GET', '/api/orders/summary')).rows).to.deep.equal([]);
        expect((await b.ok('GET', '/api/analytics')).totalOrders).to.equal(0);
        expect((await b.request('DELETE', `/api/orders/${order.id}`)).statusCode).to.equal(404);
        expect((await b.request('GET', `/api/customers/${order.customerId}`)).statusCode).to.equal(404);
        expect((await b.request('GET', `/api/products/${order.items[0].productId}`)).statusCode).to.equal(404);
        expect((await b.request('GET', `/api/customers/${order.customerId}/orders`)).statusCode).to.equal(404);
        expect((await b.request('PATCH', `/api/products/${order.items[0].productId}`, { priceCents: 1, stock: 0 })).statusCode).to.equal(404);
        expect(await a.ok('GET', `/api/products/${order.items[0].productId}`)).to.include({ priceCents: 990, stock: null });
        expect(await a.ok('GET', `/api/orders/${order.id}`)).to.deep.equal(order);
      });

      it('refuses an order in shop B for shop A\'s customer or product (404), creating nothing', async () => {
        const a = await makeShop(t().app, 'a');
        const b = await makeShop(t().app, 'b');
        const { customer, order } = await shopWithOrder(a);
        const bProduct = await b.product();
        const bCustomer = await b.customer();
        const withTheirCustomer = await b.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: bProduct.id, quantity: 1 }] });
        const withTheirProduct = await b.request('POST', '/api/orders', { customerId: bCustomer.id, items: [{ productId: order.items[0].productId, quantity: 1 }] });
        expect(withTheirCustomer.statusCode).to.equal(404);
        expect(withTheirProduct.statusCode).to.equal(404);
        expect((await b.ok('GET', '/api/orders')).count).to.equal(0);
        expect((await a.ok('GET', '/api/orders')).count).to.equal(1);
      });
    });
  });
});
