// seed-bulk: POST /api/dev/seed inserts items one at a time and re-saves the order's total after
// each (about six queries per item, no transaction). Both variants write the same plan for the
// same seed; the fix writes it in a handful of multi-row inserts.
import { expect } from 'chai';
import { buildApp } from '../../service/app';
import { loadVariant } from '../../variants/load';
import { SEED_SKU_COUNT } from '../../variants/shared/seed-plan';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { linesTotal, listAll, makeShop, measure, warmUp, type Shop } from '../helpers/factories';

const REQUEST = { customers: 5, ordersPerCustomer: 2, itemsPerOrder: 3, seed: 7 };

/** What a seeded shop holds, in a form that does not depend on ids or insertion timing. */
async function fingerprint(shop: Shop): Promise<string[]> {
  const orders = await listAll(shop, '/api/orders');
  return orders
    .map((o) => JSON.stringify([o.customerEmail, o.status, o.totalCents, o.items.map((i: any) => [i.sku, i.quantity, i.unitPriceCents])]))
    .sort();
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('seed-bulk', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it('creates exactly what was asked for, with order totals that match their items', async () => {
        const shop = await makeShop(t().app);
        await shop.customer();
        const before = await shop.ok('GET', '/api/customers');
        const seeded = await shop.request('POST', '/api/dev/seed', REQUEST);
        expect(seeded.statusCode).to.equal(201);
        const orderCount = REQUEST.customers * REQUEST.ordersPerCustomer;
        expect(seeded.json()).to.deep.equal({
          customers: REQUEST.customers,
          orders: orderCount,
          items: orderCount * REQUEST.itemsPerOrder,
          products: SEED_SKU_COUNT,
        });
        const after = await shop.ok('GET', '/api/customers');
        expect(after.count).to.equal(before.count + REQUEST.customers);

        const orders = await listAll(shop, '/api/orders');
        expect(orders).to.have.length(orderCount);
        for (const order of orders) {
          expect(order.items).to.have.length(REQUEST.itemsPerOrder);
          expect(order.totalCents).to.equal(linesTotal(order.items));
          expect(['paid', 'draft', 'shipped']).to.include(order.status);
        }
        const products = await listAll(shop, '/api/products');
        expect(products).to.have.length(SEED_SKU_COUNT);
        // Items carry the price of their product (no price has changed since seeding).
        const price = new Map(products.map((p) => [p.id, p.priceCents]));
        for (const item of orders.flatMap((o) => o.items)) expect(item.unitPriceCents).to.equal(price.get(item.productId));
      });

      it(
        expectBug
          ? 'costs several queries per seeded item: the count grows with the items (the bug)'
          : 'costs nearly the same number of queries for 6 times the items',
        async () => {
          const sizes = [
            { customers: 2, ordersPerCustomer: 2, itemsPerOrder: 2, seed: 3 },
            { customers: 4, ordersPerCustomer: 3, itemsPerOrder: 4, seed: 3 },
          ];
          const measured: { items: number; queries: number }[] = [];
          for (const size of sizes) {
            const shop = await makeShop(t().app);
            await warmUp(shop);
            const seeded = await measure(shop, 'POST', '/api/dev/seed', size);
            expect(seeded.status).to.equal(201);
            expect(seeded.body.items).to.equal(size.customers * size.ordersPerCustomer * size.itemsPerOrder);
            measured.push({ items: seeded.body.items, queries: seeded.queries });
          }
          const [small, big] = measured as [(typeof measured)[0], (typeof measured)[0]];
          if (expectBug) {
            expect(big.queries - small.queries).to.be.at.least(3 * (big.items - small.items));
          } else {
            expect(big.queries).to.be.lessThan(2 * small.queries);
            expect(big.queries).to.be.lessThan(big.items);
          }
        },
      );

      it('refuses to seed (403) when the app is not in dev mode, and writes nothing', async () => {
        const app = buildApp({ variant: loadVariant(variant), knex: t().db.knex, dev: false });
        try {
          await app.ready();
          const shop = await makeShop(app);
          const response = await shop.request('POST', '/api/dev/seed', REQUEST);
          expect(response.statusCode).to.equal(403);
          expect(response.json()).to.have.keys('statusCode', 'error', 'message');
          expect(response.json()).to.include({ statusCode: 403, error: 'Forbidden' });
          expect(response.json().message).to.match(/dev/);
          expect((await shop.ok('GET', '/api/customers')).count).to.equal(0);
          expect((await shop.ok('GET', '/api/products')).count).to.equal(0);
          const health = await app.inject({ url: '/health' });
          expect(health.json().dev).to.equal(false);
        } finally {
          await app.close();
        }
      });

      it('rejects a seed request outside its bounds or with unknown fields (400)', async () => {
        const shop = await makeShop(t().app);
        for (const body of [{ customers: 0 }, { customers: 1001 }, { itemsPerOrder: 0 }, { ordersPerCustomer: -1 }, { seed: -1 }, { customers: 'many' }, { rows: 5 }]) {
          const response = await shop.request('POST', '/api/dev/seed', body);
          expect(response.statusCode, JSON.stringify(body)).to.equal(400);
          expect(response.json()).to.have.keys('statusCode', 'error', 'message');
        }
        expect((await shop.ok('GET', '/api/customers')).count).to.equal(0);
      });
    });
  });

  describe('seed-bulk: the same seed on both variants', () => {
    const broken = useApp(backend, 'broken');
    const fixed = useApp(backend, 'fixed');

    it('writes identical customers, orders, statuses, totals and items', async () => {
      const a = await makeShop(broken().app);
      const b = await makeShop(fixed().app);
      await a.ok('POST', '/api/dev/seed', REQUEST);
      await b.ok('POST', '/api/dev/seed', REQUEST);
      const [fa, fb] = [await fingerprint(a), await fingerprint(b)];
      expect(fa).to.have.length(REQUEST.customers * REQUEST.ordersPerCustomer);
      expect(fa).to.deep.equal(fb);
      // A different seed gives different data (the comparison above is not vacuous).
      const c = await makeShop(fixed().app);
      await c.ok('POST', '/api/dev/seed', { ...REQUEST, seed: 8 });
      expect(await fingerprint(c)).to.not.deep.equal(fb);
      const [ca, cb] = [await a.ok('GET', '/api/customers'), await b.ok('GET', '/api/customers')];
      expect(ca.results.map((x: any) => [x.name, x.email])).to.deep.equal(cb.results.map((x: any) => [x.name, x.email]));
    });
  });
});
