// Incident: analytics is slow during a sale, and finance says its revenue does not match what customers paid.
import { defineScenario } from '../harness/scenario';
import { differences, expectedAnalytics } from './oracles';

export default defineScenario({
  id: 'analytics-load',
  title: 'Analytics looks up a product per order item and reports revenue at today\'s prices instead of the prices paid',
  teaches: 'remove the N+1 and redundant passes from analytics, and count revenue at the prices paid',
  async run(ctx) {
    const shops = new Map<number, Awaited<ReturnType<typeof ctx.load>>>();
    const scaling = await ctx.step('Ask three shops of growing size for their analytics (some items were bought before a price change)', () =>
      ctx.scaling('GET /api/analytics', async (size) => {
        const data = await ctx.load({ label: `analytics-${size}`, customers: size, ordersPerCustomer: 5, itemsPerOrder: 3 });
        shops.set(size, data);
        return ctx.http.get('/api/analytics', { tenant: data.tenant });
      }),
    );
    const largest = shops.get(ctx.sizes[2])!;
    const answer = await ctx.step('Compare the largest shop\'s figures with those computed from its orders', () =>
      ctx.http.get('/api/analytics', { tenant: largest.tenant }),
    );
    const expected = expectedAnalytics(largest);
    const actual = answer.body ?? {};
    const wrong = differences(
      { totalOrders: expected.totalOrders, totalRevenue: expected.totalRevenue, topItems: expected.topItems, ordersByDay: expected.ordersByDay },
      {
        totalOrders: actual.totalOrders,
        totalRevenue: actual.totalRevenue,
        topItems: (actual.topItems ?? []).map((i: any) => ({ productId: i.productId, quantity: i.quantity, revenue: i.revenue })),
        ordersByDay: actual.ordersByDay,
      },
    );
    ctx.table('Totals', ['', 'expected (prices paid)', 'answered'], [
      ['totalOrders', expected.totalOrders, actual.totalOrders ?? null],
      ['totalRevenue (cents)', expected.totalRevenue, actual.totalRevenue ?? null],
    ]);
    await ctx.step('Group the SQL of that request by shape', () => ctx.queryShapes(answer, 'GET /api/analytics'));
    await ctx.step('Put the largest shop under load, interleaved with the floor', () =>
      ctx.loadTest('analytics', '/api/analytics', largest.tenant, `${ctx.sizes[2]} customers`),
    );

    const [small, , large] = scaling.points;
    const problems = [];
    if (wrong.length) problems.push(`the figures are wrong (${wrong[0]})`);
    if (scaling.growth === 'grows') problems.push(`one request costs ${small!.queries} queries at ${small!.label} and ${large!.queries} at ${large!.label}`);
    if (problems.length) return { verdict: 'FAIL', reason: problems.join('; and ') };
    return { verdict: 'PASS', reason: `revenue matches the prices paid, in ${large!.queries} queries at every size` };
  },
});
