// Incident: an agent deleted a duplicate order; accounting can no longer find it, nor its items, anywhere.
// A soft delete is a promise kept by every read: the order leaves every list, ranking and total,
// and stays readable by id. A rewrite that forgets `deleted_at` in one read still counts it there.
import { defineScenario, type Outcome } from '../harness/scenario';
import { differences, expectedAnalytics, expectedSummary, listedOrders, placedOrder, withOrder, type Known } from './oracles';
import { createCustomer, createProduct, placeOrder } from './support';

const ids = (orders: { id: number }[]) => orders.map((o) => o.id).sort((a, b) => a - b);
const idsOf = (body: unknown) => ids(Array.isArray(body) ? body : []);

export default defineScenario({
  id: 'soft-delete',
  title: 'DELETE /api/orders/:id destroys the order and its items instead of hiding them',
  teaches: 'soft delete, hidden from lists by default but retrievable by id',
  async run(ctx): Promise<Outcome> {
    const tenant = await ctx.newTenant('soft-delete');
    let known: Known = { tenant, customers: [], products: [], orders: [] };
    const { order } = await ctx.step('Create a customer with two paid orders, and another customer with one', async () => {
      const alan = await createCustomer(ctx, tenant, 'alan@example.com');
      const grace = await createCustomer(ctx, tenant, 'grace@example.com');
      const product = await createProduct(ctx, tenant, 'PEN', 300);
      known = {
        ...known,
        customers: [alan, grace].map((c) => ({ id: c.id, name: c.name, email: c.email, isActive: c.isActive, createdAt: c.createdAt })),
        products: [{ id: product.id, sku: product.sku, name: product.name, priceCents: product.priceCents, stock: product.stock, available: product.available }],
      };
      const place = async (customerId: number, quantity: number) => {
        const lines = [{ productId: product.id, quantity }];
        const placed = placedOrder(known, await placeOrder(ctx, tenant, customerId, lines), customerId, lines);
        known = { ...known, orders: [...known.orders, placed] };
        return placed;
      };
      // The deleted order is the one that puts alan on top of the ranking.
      const order = await place(alan.id, 5);
      await place(alan.id, 1);
      await place(grace.id, 3);
      return { order };
    });
    const before = await ctx.snapshot(tenant);
    const deleted = await ctx.step(`Delete order #${order.id}`, () => ctx.http.delete(`/api/orders/${order.id}`, { tenant }));
    if (deleted.status === 204) known = withOrder(known, order.id, { deletedAt: 'deleted by this scenario' });
    const reads = await ctx.step('Read every list the order could still show up in: the orders, the customer\'s orders, the summary, analytics', async () => ({
      list: await ctx.http.get('/api/orders', { tenant }),
      customerOrders: await ctx.http.get(`/api/customers/${order.customerId}/orders`, { tenant }),
      summary: await ctx.http.get('/api/orders/summary?limit=50', { tenant }),
      analytics: await ctx.http.get('/api/analytics', { tenant }),
    }));
    const byId = await ctx.step(`Fetch order #${order.id} by id`, () => ctx.http.get(`/api/orders/${order.id}`, { tenant }));
    // A client that lost the first answer retries: 204 and 404 are both right, a change to the order is not.
    const again = await ctx.step(`Delete order #${order.id} again, as a retried request would, and fetch it`, async () => {
      // A deletion time written again by the retry must differ from the first, to be seen.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const answer = await ctx.http.delete(`/api/orders/${order.id}`, { tenant });
      return { status: answer.status, byId: await ctx.http.get(`/api/orders/${order.id}`, { tenant }) };
    });
    ctx.observe('the second DELETE answered (204 or 404)', again.status);
    const after = await ctx.snapshot(tenant);
    ctx.table('Rows in the shop', ['table', 'before delete', 'after delete'], [
      ['orders', before.orders.length, after.orders.length],
      ['order items', before.items.length, after.items.length],
    ]);

    const destroyedOrders = before.orders.length - after.orders.length;
    const destroyedItems = before.items.length - after.items.length;
    if (destroyedOrders > 0 || destroyedItems > 0 || (deleted.status === 204 && byId.status === 404)) {
      return {
        verdict: 'FAIL',
        hazard: 'destroyed data',
        reason: `the deleted order is gone for good: GET by id answers ${byId.status}, and ${destroyedOrders} order row(s) and ${destroyedItems} item row(s) were destroyed`,
      };
    }
    if (deleted.status !== 204) return { verdict: 'FAIL', reason: `DELETE answered ${deleted.status} instead of 204` };
    if (byId.status !== 200) return { verdict: 'FAIL', reason: `the deleted order answers ${byId.status} by id instead of 200` };
    if (!byId.body.deletedAt || byId.body.items.length !== order.items.length) {
      return { verdict: 'FAIL', reason: 'the deleted order reads back without its deletedAt mark or without its items' };
    }
    if (again.status !== 204 && again.status !== 404) return { verdict: 'FAIL', reason: `a second DELETE of the order answered ${again.status}, expected 204 or 404` };
    if (again.byId.status !== 200 || again.byId.body.deletedAt !== byId.body.deletedAt || again.byId.body.items.length !== order.items.length) {
      return {
        verdict: 'FAIL',
        reason: `a second DELETE changed the deleted order: it reads back with HTTP ${again.byId.status}, deletedAt ${JSON.stringify(again.byId.body?.deletedAt)} (the first DELETE set ${JSON.stringify(byId.body.deletedAt)}) and ${again.byId.body?.items?.length ?? 'no'} item(s)`,
      };
    }

    // Every expectation comes from the known data, with the order marked deleted.
    const stillThere: string[] = [];
    const listed = reads.list.body?.results ?? [];
    if (JSON.stringify(idsOf(listed)) !== JSON.stringify(ids(listedOrders(known))) || reads.list.body?.count !== listedOrders(known).length) {
      stillThere.push(`GET /api/orders lists [${idsOf(listed).join(', ')}] of ${reads.list.body?.count}, expected [${ids(listedOrders(known)).join(', ')}]`);
    }
    const theirs = listedOrders(known).filter((o) => o.customerId === order.customerId);
    if (reads.customerOrders.status !== 200 || JSON.stringify(idsOf(reads.customerOrders.body)) !== JSON.stringify(ids(theirs))) {
      stillThere.push(`GET /api/customers/${order.customerId}/orders lists [${idsOf(reads.customerOrders.body).join(', ')}], expected [${ids(theirs).join(', ')}]`);
    }
    const summaryWrong = reads.summary.status === 200 ? differences(expectedSummary(known, 50), reads.summary.body?.rows) : [`HTTP ${reads.summary.status}`];
    if (summaryWrong.length) stillThere.push(`the summary still counts it: ${summaryWrong[0]}`);
    const analytics = reads.analytics.body;
    const analyticsWrong = reads.analytics.status === 200
      ? differences(expectedAnalytics(known), {
          totalOrders: analytics?.totalOrders,
          totalRevenue: analytics?.totalRevenue,
          topItems: (analytics?.topItems ?? []).map((i: { productId: number; quantity: number; revenue: number }) => ({ productId: i.productId, quantity: i.quantity, revenue: i.revenue })),
          ordersByDay: analytics?.ordersByDay,
        })
      : [`HTTP ${reads.analytics.status}`];
    if (analyticsWrong.length) stillThere.push(`analytics still counts it: ${analyticsWrong[0]}`);
    ctx.observe('reads that still show the deleted order', stillThere.length ? stillThere.join('; ') : 'none');

    if (stillThere.length) return { verdict: 'FAIL', reason: `the deleted order #${order.id} is not hidden everywhere: ${stillThere.join('; ')}` };
    return { verdict: 'PASS', reason: `the order left the list, the customer\'s orders, the summary and analytics, and is still readable by id with deletedAt set, items intact, also after a second DELETE (answered ${again.status})` };
  },
});
