// Hidden, deepens analytics-load. Revenue is what customers paid. Asked again after a price change
// and a new order, analytics must count the old units at the old price and the new at the new; an
// answer cached for speed, or a join to today's product price, gets one of the two wrong.
import { defineHiddenScenario } from './define';
import { differences } from '../../scenarios/oracles';
import { createCustomer, createProduct, placeOrder } from '../../scenarios/support';

interface Placed {
  productId: number;
  quantity: number;
  unitPriceCents: number;
  createdAt: string;
}

function expectedFrom(placed: Placed[]) {
  const byProduct = new Map<number, { productId: number; quantity: number; revenue: number }>();
  const byDay = new Map<string, { date: string; count: number; revenue: number }>();
  for (const order of placed) {
    const revenue = order.quantity * order.unitPriceCents;
    const product = byProduct.get(order.productId) ?? { productId: order.productId, quantity: 0, revenue: 0 };
    product.quantity += order.quantity;
    product.revenue += revenue;
    byProduct.set(order.productId, product);
    const date = new Date(order.createdAt).toISOString().slice(0, 10);
    const day = byDay.get(date) ?? { date, count: 0, revenue: 0 };
    day.count += 1;
    day.revenue += revenue;
    byDay.set(date, day);
  }
  return {
    totalOrders: placed.length,
    totalRevenue: placed.reduce((sum, order) => sum + order.quantity * order.unitPriceCents, 0),
    topItems: [...byProduct.values()].sort((a, b) => b.quantity - a.quantity || a.productId - b.productId).slice(0, 5),
    ordersByDay: [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date)),
  };
}

export default defineHiddenScenario({
  id: 'analytics-price-change',
  deepens: 'analytics-load',
  title: 'Analytics asked again after a price change counts every unit at the price paid, including the orders placed since',
  teaches: 'Bonus in depth: revenue at the prices paid (Q3, Q4), and no stale answers',
  timeoutMs: 60_000,
  async run(ctx) {
    const tenant = await ctx.newTenant('analytics-price');
    const { customer, mug, tea } = await ctx.step('Create a customer, a mug at 1000 cents and tea at 300 cents', async () => ({
      customer: await createCustomer(ctx, tenant, 'finance@example.com'),
      mug: await createProduct(ctx, tenant, 'MUG', 1000),
      tea: await createProduct(ctx, tenant, 'TEA', 300),
    }));
    const placed: Placed[] = [];
    const buy = async (productId: number, quantity: number) => {
      const order = await placeOrder(ctx, tenant, customer.id, [{ productId, quantity }]);
      placed.push({ productId, quantity, unitPriceCents: order.items[0].unitPriceCents, createdAt: order.createdAt });
    };

    await ctx.step('Order 2 mugs and 1 tea (paid), and 1 tea as a draft', async () => {
      await buy(mug.id, 2);
      await buy(tea.id, 1);
      await ctx.http.post('/api/orders', { tenant, body: { customerId: customer.id, status: 'draft', items: [{ productId: tea.id, quantity: 1 }] } });
    });
    const rounds: { label: string; body: any; expected: ReturnType<typeof expectedFrom> }[] = [];
    const ask = async (label: string) => {
      const answer = await ctx.step(`Ask for analytics ${label}`, () => ctx.http.get('/api/analytics', { tenant }));
      rounds.push({ label, body: answer.status === 200 ? answer.body : { status: answer.status }, expected: expectedFrom(placed) });
    };
    await ask('before any price change');

    await ctx.step('Raise the mug to 1500 cents, then order 1 more mug', async () => {
      const patched = await ctx.http.patch(`/api/products/${mug.id}`, { tenant, body: { priceCents: 1500 } });
      if (patched.status !== 200) throw new Error(`PATCH /api/products/${mug.id} answered ${patched.status}`);
      await buy(mug.id, 1);
    });
    await ask('after the price change and the new order');

    await ctx.step('Take the mug off sale at 2500 cents', async () => {
      const patched = await ctx.http.patch(`/api/products/${mug.id}`, { tenant, body: { priceCents: 2500, available: false } });
      if (patched.status !== 200) throw new Error(`PATCH /api/products/${mug.id} answered ${patched.status}`);
    });
    await ask('after the mug went off sale');

    ctx.table('Total revenue (cents)', ['when', 'expected (prices paid)', 'answered'], rounds.map((r) => [r.label, r.expected.totalRevenue, r.body?.totalRevenue ?? null]));
    const problems = rounds.flatMap(({ label, body, expected }) => {
      const wrong = differences(expected, {
        totalOrders: body?.totalOrders,
        totalRevenue: body?.totalRevenue,
        topItems: (body?.topItems ?? []).map((i: any) => ({ productId: i.productId, quantity: i.quantity, revenue: i.revenue })),
        ordersByDay: body?.ordersByDay,
      });
      return wrong.length ? [`${label}: ${wrong[0]}`] : [];
    });
    if (problems.length) return { verdict: 'FAIL', reason: `analytics is wrong ${problems.join('; ')}` };
    return { verdict: 'PASS', reason: 'every answer counts each unit at the price paid, including orders placed after the price change' };
  },
});
