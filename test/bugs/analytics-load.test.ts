// analytics-load: broken looks up the product of every item (N+1) and prices the revenue at the
// product's CURRENT price when it is still available, so a price change rewrites past revenue.
// The oracle: orders paid or shipped and not deleted; revenue is quantity * unitPriceCents (the
// price paid); top 5 products by quantity (ties by product id); days are UTC and ascending.
import { expect } from 'chai';
import type { Analytics } from '../../variants/contract';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { listAll, makeShop, measure, warmUp, type Shop } from '../helpers/factories';

interface Counted {
  createdAt: string;
  items: { productId: number; sku: string; quantity: number; unitPriceCents: number }[];
}

function oracle(orders: Counted[], names: Map<number, string>): Analytics {
  const line = (i: Counted['items'][number]) => i.quantity * i.unitPriceCents;
  const byProduct = new Map<number, Analytics['topItems'][number]>();
  const byDay = new Map<string, { count: number; revenue: number }>();
  for (const order of orders) {
    for (const item of order.items) {
      const entry = byProduct.get(item.productId) ?? { productId: item.productId, sku: item.sku, name: names.get(item.productId)!, quantity: 0, revenue: 0 };
      entry.quantity += item.quantity;
      entry.revenue += line(item);
      byProduct.set(item.productId, entry);
    }
    const date = new Date(order.createdAt).toISOString().slice(0, 10);
    const day = byDay.get(date) ?? { count: 0, revenue: 0 };
    day.count += 1;
    day.revenue += order.items.reduce((sum, i) => sum + line(i), 0);
    byDay.set(date, day);
  }
  const ordersByDay = [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, ...d }));
  return {
    totalOrders: orders.length,
    totalRevenue: ordersByDay.reduce((sum, d) => sum + d.revenue, 0),
    topItems: [...byProduct.values()].sort((a, b) => b.quantity - a.quantity || a.productId - b.productId).slice(0, 5),
    ordersByDay,
  };
}

/** The oracle over what the shop holds: every visible order is listed; `extra` adds hidden ones that count. */
async function expected(shop: Shop, extra: Counted[] = []): Promise<Analytics> {
  const visible = (await listAll(shop, '/api/orders')).filter((o) => o.status === 'paid' || o.status === 'shipped');
  const products = await listAll(shop, '/api/products');
  return oracle([...visible, ...extra], new Map(products.map((p) => [p.id, p.name])));
}

function checkDays(analytics: Analytics): void {
  const dates = analytics.ordersByDay.map((d) => d.date);
  for (const date of dates) expect(date).to.match(/^\d{4}-\d{2}-\d{2}$/);
  expect(dates).to.deep.equal([...new Set(dates)].sort());
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('analytics-load', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it('matches the oracle over orders placed through the API (archived counted, draft and deleted not)', async () => {
        const shop = await makeShop(t().app);
        const products = [];
        for (let i = 0; i < 7; i += 1) products.push(await shop.product({ priceCents: 100 * (i + 1) + 7 }));
        const [a, b] = [await shop.customer(), await shop.customer()];
        const placed = [];
        for (let i = 0; i < 12; i += 1) {
          const lines = [{ productId: products[i % 7]!.id, quantity: 1 + (i % 3) }, { productId: products[(i * 3) % 7]!.id, quantity: 1 }];
          placed.push(await shop.order(i % 2 ? a.id : b.id, lines, i % 4 === 3 ? 'draft' : 'paid'));
        }
        const archived = placed[0];
        await shop.ok('POST', `/api/orders/${archived.id}/archive`);
        await shop.ok('DELETE', `/api/orders/${placed[1].id}`);
        const want = await expected(shop, [archived]);
        expect(want.totalOrders).to.equal(placed.filter((o) => o.status === 'paid').length - 1);
        const got = await shop.ok<Analytics>('GET', '/api/analytics');
        expect(got).to.deep.equal(want);
        checkDays(got);
      });

      it('matches the oracle over seeded orders spread across a month of UTC days', async () => {
        const shop = await makeShop(t().app);
        await shop.ok('POST', '/api/dev/seed', { customers: 8, ordersPerCustomer: 4, itemsPerOrder: 2, seed: 11 });
        const want = await expected(shop);
        expect(want.ordersByDay.length).to.be.greaterThan(3);
        const got = await shop.ok<Analytics>('GET', '/api/analytics');
        expect(got).to.deep.equal(want);
        checkDays(got);
      });

      it(
        expectBug
          ? 'rewrites past revenue when a product\'s price changes (the bug)'
          : 'keeps past revenue at the price paid when a product\'s price changes',
        async () => {
          const shop = await makeShop(t().app);
          const product = await shop.product({ priceCents: 500 });
          const other = await shop.product({ priceCents: 300 });
          const customer = await shop.customer();
          await shop.order(customer.id, [{ productId: product.id, quantity: 3 }, { productId: other.id, quantity: 1 }]);
          await shop.order(customer.id, [{ productId: product.id, quantity: 2 }]);
          const before = await shop.ok<Analytics>('GET', '/api/analytics');
          expect(before).to.deep.equal(await expected(shop));

          const newPrice = 900;
          await shop.ok('PATCH', `/api/products/${product.id}`, { priceCents: newPrice });
          const after = await shop.ok<Analytics>('GET', '/api/analytics');
          const sold = 3 + 2;
          if (expectBug) {
            expect(after.totalRevenue).to.equal(before.totalRevenue + sold * (newPrice - 500));
            expect(after).to.not.deep.equal(await expected(shop));
          } else {
            expect(after).to.deep.equal(before);
            expect(after).to.deep.equal(await expected(shop));
          }
        },
      );

      it(
        expectBug
          ? 'costs one more query per item sold: the count grows with 10 times the orders (the bug)'
          : 'costs at most 3 queries, the same for 10 times the orders',
        async () => {
          const measured: { queries: number; orders: number }[] = [];
          const itemsPerOrder = 2;
          for (const customers of [2, 20]) {
            const shop = await makeShop(t().app);
            await shop.ok('POST', '/api/dev/seed', { customers, ordersPerCustomer: 2, itemsPerOrder, seed: 5 });
            await warmUp(shop);
            const analytics = await measure(shop, 'GET', '/api/analytics');
            expect(analytics.status).to.equal(200);
            expect(analytics.body.totalOrders).to.be.greaterThan(0);
            measured.push({ queries: analytics.queries, orders: analytics.body.totalOrders });
          }
          const [small, big] = measured as [(typeof measured)[0], (typeof measured)[0]];
          if (expectBug) {
            // One product lookup per item of each counted order.
            expect(big.queries - small.queries).to.be.at.least(itemsPerOrder * (big.orders - small.orders));
            expect(big.queries).to.be.greaterThan(small.queries);
          } else {
            expect(small.queries).to.be.at.most(3);
            expect(big.queries).to.equal(small.queries);
          }
        },
      );

      it('gives zeros and empty lists for a shop without orders', async () => {
        const shop = await makeShop(t().app);
        await shop.product();
        expect(await shop.ok('GET', '/api/analytics')).to.deep.equal({ totalOrders: 0, totalRevenue: 0, topItems: [], ordersByDay: [] });
      });
    });
  });
});
