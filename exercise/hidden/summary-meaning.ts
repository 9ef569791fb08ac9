// Hidden, deepens summary-n-plus-one. Every published one-query rewrite of the summary changed its
// meaning somewhere the public data does not look: ranking all customers instead of the `limit`
// newest, dropping customers who spent nothing, or ordering ties differently. The original code
// is slow but right here, so a rewrite that fails this has broken something that worked.
import { defineHiddenScenario } from './define';
import { differences } from '../../scenarios/oracles';
import { createProduct, placeOrder } from '../../scenarios/support';

interface Planned {
  label: string;
  active: boolean;
  /** [unit price, quantity, status, archived?] per order. */
  orders: [number, number, 'paid' | 'draft', boolean?][];
}

// Oldest first. The oldest spends most, the inactive one next; B and C tie; D and G spend nothing.
const PLAN: Planned[] = [
  { label: 'a', active: true, orders: [[1000, 10, 'paid']] },
  { label: 'b', active: true, orders: [[1000, 3, 'paid'], [1000, 5, 'paid', true], [1000, 7, 'draft']] },
  { label: 'c', active: true, orders: [[500, 6, 'paid']] },
  { label: 'd', active: true, orders: [[1000, 2, 'draft']] },
  { label: 'e', active: true, orders: [[1000, 1, 'paid'], [500, 1, 'paid']] },
  { label: 'f', active: false, orders: [[1000, 9, 'paid']] },
  { label: 'g', active: true, orders: [] },
];

export default defineHiddenScenario({
  id: 'summary-meaning',
  deepens: 'summary-n-plus-one',
  title: 'The summary ranks the `limit` newest active customers, keeps those who spent nothing, and breaks ties newest first',
  teaches: 'Part C in depth: a faster summary must keep the original meaning',
  timeoutMs: 60_000,
  async run(ctx) {
    const { tenant, customers } = await ctx.step('Create seven customers, oldest first: the oldest spends most, one is inactive, two tie, two spend nothing', async () => {
      const tenant = await ctx.newTenant('summary-meaning');
      const products = new Map<number, number>();
      for (const price of [1000, 500]) products.set(price, (await createProduct(ctx, tenant, `P${price}`, price)).id);
      const customers = [];
      for (const plan of PLAN) {
        const created = await ctx.http.post('/api/customers', { tenant, body: { name: plan.label, email: `${plan.label}@summary.example`, isActive: plan.active } });
        if (created.status !== 201) throw new Error(`creating customer ${plan.label} answered ${created.status}`);
        let paidOrders = 0;
        let spent = 0;
        for (const [price, quantity, status, archived] of plan.orders) {
          const order = status === 'paid'
            ? await placeOrder(ctx, tenant, created.body.id, [{ productId: products.get(price)!, quantity }])
            : (await ctx.http.post('/api/orders', { tenant, body: { customerId: created.body.id, status, items: [{ productId: products.get(price)!, quantity }] } })).body;
          if (archived) {
            const answer = await ctx.http.post(`/api/orders/${order.id}/archive`, { tenant, quiet: true });
            if (answer.status !== 200) throw new Error(`archiving order ${order.id} answered ${answer.status}`);
          } else if (status === 'paid') {
            paidOrders += 1;
            spent += price * quantity;
          }
        }
        customers.push({ ...plan, id: created.body.id as number, email: created.body.email as string, paidOrders, spent });
      }
      return { tenant, customers };
    });

    // Newest first among the active, then by spend, ties keeping newest first.
    const expected = (limit: number) =>
      customers
        .filter((c) => c.active)
        .reverse()
        .slice(0, limit)
        .map((c, rank) => ({ rank, row: { customerId: c.id, email: c.email, orderCount: c.paidOrders, totalCents: c.spent } }))
        .sort((x, y) => y.row.totalCents - x.row.totalCents || x.rank - y.rank)
        .map(({ row }) => row);

    const problems: string[] = [];
    for (const limit of [5, 1, 50]) {
      const answer = await ctx.step(`Ask for the summary with limit=${limit}`, () => ctx.http.get(`/api/orders/summary?limit=${limit}`, { tenant }));
      const want = expected(limit);
      const rows: { customerId: number; email: string; orderCount: number; totalCents: number }[] = answer.body?.rows ?? [];
      const name = (id: number) => customers.find((c) => c.id === id)?.label ?? `#${id}`;
      ctx.table(`limit=${limit}`, ['rank', 'expected', 'answered'], want.map((row, i) => [
        i + 1,
        `${name(row.customerId)}: ${row.totalCents} cents in ${row.orderCount}`,
        rows[i] ? `${name(rows[i]!.customerId)}: ${rows[i]!.totalCents} cents in ${rows[i]!.orderCount}` : null,
      ]));
      const wrong = answer.status === 200 ? differences(want, rows) : [`HTTP ${answer.status}`];
      if (wrong.length) {
        problems.push(
          `limit=${limit} answered [${rows.map((r) => `${name(r.customerId)} ${r.totalCents}`).join(', ')}], expected [${want.map((r) => `${name(r.customerId)} ${r.totalCents}`).join(', ')}]`,
        );
      }
    }
    if (problems.length) return { verdict: 'FAIL', reason: `the summary's meaning changed: ${problems.join('; ')}` };
    return { verdict: 'PASS', reason: 'the newest active customers only, zero spend included, ties newest first, archived and draft orders left out' };
  },
});
