// Incident: a shop owner opened an order link from a support ticket and saw, then cancelled, another shop's order.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineScenario, type HttpResponse, type ScenarioContext, type TenantSnapshot } from '../harness/scenario';
import { createCustomer, createProduct, placeOrder } from './support';

interface ShopA {
  order: number;
  customer: number;
  product: number;
}

/** Every route that takes an id, reads before writes, and the delete last: it is the one that destroys. */
const ROUTES: { route: string; send: (ctx: ScenarioContext, ids: ShopA, tenant: string) => Promise<HttpResponse> }[] = [
  { route: 'GET /api/orders/:id', send: (ctx, ids, tenant) => ctx.http.get(`/api/orders/${ids.order}`, { tenant }) },
  { route: 'GET /api/customers/:id', send: (ctx, ids, tenant) => ctx.http.get(`/api/customers/${ids.customer}`, { tenant }) },
  { route: 'GET /api/customers/:id/orders', send: (ctx, ids, tenant) => ctx.http.get(`/api/customers/${ids.customer}/orders`, { tenant }) },
  { route: 'GET /api/products/:id', send: (ctx, ids, tenant) => ctx.http.get(`/api/products/${ids.product}`, { tenant }) },
  {
    route: 'PATCH /api/products/:id',
    send: (ctx, ids, tenant) => ctx.http.patch(`/api/products/${ids.product}`, { tenant, body: { priceCents: 1, stock: 0, available: false } }),
  },
  { route: 'POST /api/orders/:id/archive', send: (ctx, ids, tenant) => ctx.http.post(`/api/orders/${ids.order}/archive`, { tenant }) },
  { route: 'POST /api/orders/:id/cancel', send: (ctx, ids, tenant) => ctx.http.post(`/api/orders/${ids.order}/cancel`, { tenant }) },
  { route: 'DELETE /api/orders/:id', send: (ctx, ids, tenant) => ctx.http.delete(`/api/orders/${ids.order}`, { tenant }) },
];

/** The tables of a snapshot whose rows differ. */
function changedTables(before: TenantSnapshot, after: TenantSnapshot): string[] {
  return (Object.keys(before) as (keyof TenantSnapshot)[]).filter((table) => JSON.stringify(before[table]) !== JSON.stringify(after[table]));
}

export default defineScenario({
  id: 'tenant-isolation',
  title: 'Fetching or cancelling an order by id ignores X-Tenant-ID, so one shop can read and change another\'s orders',
  teaches: 'every read and write is scoped to the shop named in X-Tenant-ID',
  async run(ctx) {
    const { shopA, shopB, ids } = await ctx.step('Create shop A with a customer, a product and an order, and shop B', async () => {
      const shopA = await ctx.newTenant('shop-a');
      const shopB = await ctx.newTenant('shop-b');
      const customer = await createCustomer(ctx, shopA, 'private@shop-a.example');
      const product = await createProduct(ctx, shopA, 'SECRET', 5000, 10);
      const order = await placeOrder(ctx, shopA, customer.id, [{ productId: product.id, quantity: 1 }]);
      return { shopA, shopB, ids: { order: order.id, customer: customer.id, product: product.id } };
    });
    // A confirmation sent after the answer would otherwise count as a change made by shop B.
    await ctx.step('Wait until shop A\'s order shows its confirmation (at most 2 s)', async () => {
      for (let waited = 0; waited < 2_000; waited += 50) {
        if ((await ctx.http.get(`/api/orders/${ids.order}`, { tenant: shopA, quiet: true })).body?.notificationSentAt) return;
        await sleep(50);
      }
    });

    let previous = await ctx.snapshot(shopA);
    const first = previous;
    const leaks: string[] = [];
    const rows: (string | number)[][] = [];
    for (const { route, send } of ROUTES) {
      const answer = await ctx.step(`Shop B sends ${route} with shop A's id`, () => send(ctx, ids, shopB));
      const now = await ctx.snapshot(shopA);
      const changed = changedTables(previous, now);
      previous = now;
      rows.push([route, answer.status, changed.join(', ') || 'nothing']);
      if (answer.status !== 404 || changed.length) {
        leaks.push(`${route} answered ${answer.status}${changed.length ? ` and changed shop A's ${changed.join(', ')}` : ''}`);
      }
    }
    ctx.table('Shop B using shop A\'s ids', ['route', 'answer (expected 404)', 'what changed in shop A'], rows);
    ctx.table('Shop A\'s rows', ['table', 'before', 'after'], [
      ['customers', first.customers, previous.customers],
      ['orders', first.orders.length, previous.orders.length],
      ['order items', first.items.length, previous.items.length],
    ]);

    if (leaks.length) return { verdict: 'FAIL', reason: `shop B reached shop A's data: ${leaks.join('; ')}`, hazard: 'cross-shop access' };
    return { verdict: 'PASS', reason: `all ${ROUTES.length} routes that take an id answered 404 to another shop, and shop A's rows stayed exactly as they were` };
  },
});
