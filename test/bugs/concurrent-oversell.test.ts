// concurrent-oversell: broken checks stock against a cache that never expires, reserves without
// waiting for the answer, and commits with a read-then-write, so it sells stock it does not have
// (sequentially through the stale cache, concurrently through lost updates). Fixed takes the stock
// with one conditional UPDATE inside the order's transaction.
import { expect } from 'chai';
import { ORDER_LIMITS } from '../../variants/contract';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { listAll, makeShop, type Shop } from '../helpers/factories';

async function stockOf(shop: Shop, productId: number): Promise<number | null> {
  return (await shop.ok('GET', `/api/products/${productId}`)).stock;
}

/** Orders of the shop that contain the product, however many pages. */
async function ordersWith(shop: Shop, productId: number): Promise<any[]> {
  const orders = await listAll(shop, '/api/orders');
  return orders.filter((o) => o.items.some((i: { productId: number }) => i.productId === productId));
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('concurrent-oversell', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it(
        expectBug
          ? 'sells 3 x 2 out of a stock of 5 one after the other and drives the stock negative (the bug)'
          : 'sells 2, 2, then refuses the third 2 (409) out of a stock of 5, leaving 1',
        async () => {
          const shop = await makeShop(t().app);
          const initial = 5;
          const product = await shop.product({ stock: initial });
          const customer = await shop.customer();
          const statuses: number[] = [];
          for (let i = 0; i < 3; i += 1) {
            const response = await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: 2 }] });
            statuses.push(response.statusCode);
            if (response.statusCode === 409) expect(response.json().message).to.match(/stock/i);
          }
          const final = await stockOf(shop, product.id);
          const sold = (await ordersWith(shop, product.id)).reduce((sum, o) => sum + o.items[0].quantity, 0);
          if (expectBug) {
            expect(statuses).to.deep.equal([201, 201, 201]);
            expect(final).to.equal(initial - 3 * 2);
            expect(final).to.be.below(0);
          } else {
            expect(statuses).to.deep.equal([201, 201, 409]);
            expect(final).to.equal(initial - 2 * 2);
          }
          // Whatever was accepted is what left the stock, on both variants when sequential.
          expect(sold).to.equal(initial - final!);
        },
      );

      it('refuses (409) an order larger than the stock and changes nothing', async () => {
        const shop = await makeShop(t().app);
        const product = await shop.product({ stock: 5 });
        const customer = await shop.customer();
        const response = await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: 10 }] });
        expect(response.statusCode).to.equal(409);
        expect(response.json()).to.include({ statusCode: 409, error: 'Conflict' });
        expect(await stockOf(shop, product.id)).to.equal(5);
        expect((await shop.ok('GET', '/api/orders')).count).to.equal(0);
        // The same product still sells what it has.
        await shop.order(customer.id, [{ productId: product.id, quantity: 5 }]);
        expect(await stockOf(shop, product.id)).to.equal(0);
      });

      it(
        expectBug
          ? 'oversells under 50 simultaneous orders of 1 against a stock of 5 (the bug)'
          : 'accepts exactly 5 of 50 simultaneous orders of 1 against a stock of 5 and refuses 45 with 409',
        async function () {
          this.timeout(30_000);
          const shop = await makeShop(t().app);
          const initial = 5;
          const attempts = 50;
          const product = await shop.product({ stock: initial });
          const customer = await shop.customer();
          const responses = await Promise.all(
            Array.from({ length: attempts }, () =>
              shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] }),
            ),
          );
          const codes = responses.map((r) => r.statusCode);
          const accepted = codes.filter((c) => c === 201).length;
          const rejected = codes.filter((c) => c === 409).length;
          const final = (await stockOf(shop, product.id))!;
          const orders = await ordersWith(shop, product.id);
          if (expectBug) {
            const oversold = accepted > initial;
            const drift = accepted !== initial - final;
            const negative = final < 0;
            expect(oversold || drift || negative, `accepted ${accepted}, final stock ${final}`).to.equal(true);
          } else {
            expect(codes.every((c) => c === 201 || c === 409), `codes ${codes.join(',')}`).to.equal(true);
            expect(accepted).to.equal(initial);
            expect(rejected).to.equal(attempts - initial);
            expect(final).to.equal(0);
            expect(orders).to.have.length(initial);
            expect(orders.map((o) => o.id).sort()).to.deep.equal(
              responses.filter((r) => r.statusCode === 201).map((r) => r.json().id).sort(),
            );
          }
        },
      );

      it('leaves the first item\'s stock untouched and creates no order when the second item is out of stock', async () => {
        const shop = await makeShop(t().app);
        // Created first, so it has the lower id: the fix takes its stock first, then must roll it back.
        const plenty = await shop.product({ stock: 5 });
        const scarce = await shop.product({ stock: 1 });
        const customer = await shop.customer();
        const response = await shop.request('POST', '/api/orders', {
          customerId: customer.id,
          items: [{ productId: plenty.id, quantity: 2 }, { productId: scarce.id, quantity: 2 }],
        });
        expect(response.statusCode).to.equal(409);
        expect(await stockOf(shop, plenty.id)).to.equal(5);
        expect(await stockOf(shop, scarce.id)).to.equal(1);
        expect((await shop.ok('GET', '/api/orders')).count).to.equal(0);
        expect(await shop.ok('GET', `/api/customers/${customer.id}/orders`)).to.deep.equal([]);
      });

      it(
        expectBug
          ? 'checks each line of an order alone, so the same product twice sells past the stock (the bug)'
          : 'checks the same product named twice in one order against its total quantity',
        async () => {
          const shop = await makeShop(t().app);
          const initial = 3;
          const product = await shop.product({ stock: initial });
          const customer = await shop.customer();
          const lines = [{ productId: product.id, quantity: 2 }, { productId: product.id, quantity: 2 }];
          const total = lines.reduce((sum, l) => sum + l.quantity, 0);
          const response = await shop.request('POST', '/api/orders', { customerId: customer.id, items: lines });
          const final = await stockOf(shop, product.id);
          if (expectBug) {
            expect(response.statusCode).to.equal(201);
            expect(final).to.equal(initial - total);
            expect(final).to.be.below(0);
          } else {
            expect(response.statusCode).to.equal(409);
            expect(final).to.equal(initial);
            expect((await shop.ok('GET', '/api/orders')).count).to.equal(0);
            // Within the stock, both lines are kept as sent and the stock drops by their sum.
            const fits = [{ productId: product.id, quantity: 1 }, { productId: product.id, quantity: 2 }];
            const order = await shop.order(customer.id, fits);
            expect(order.items.map((i: { quantity: number }) => i.quantity)).to.deep.equal([1, 2]);
            expect(await stockOf(shop, product.id)).to.equal(initial - 3);
          }
        },
      );

      it('never limits a product with unlimited stock (null)', async () => {
        const shop = await makeShop(t().app);
        const product = await shop.product({ stock: null });
        const customer = await shop.customer();
        const order = await shop.order(customer.id, [{ productId: product.id, quantity: ORDER_LIMITS.maxQuantity }]);
        expect(order.items[0]).to.include({ productId: product.id, quantity: ORDER_LIMITS.maxQuantity });
        expect(await stockOf(shop, product.id)).to.equal(null);
      });
    });
  });
});
