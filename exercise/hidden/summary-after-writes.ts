// Hidden, deepens summary-n-plus-one. The public scenario asks each shop once, so a summary made
// fast by keeping its answer in memory passes it, and shows yesterday's ranking to the dashboard
// after the next order. Asked after every write that changes the ranking, by this process and by
// a second one on the same database (a cache invalidated in one process is stale in the other),
// the answer must be the one computed from the data.
import { defineHiddenScenario } from './define';
import type { Http, Outcome } from '../../harness/scenario';
import { differences, expectedSummary, placedOrder, surviving, withOrder, type Known, type KnownOrder } from '../../scenarios/oracles';
import { expectStatus } from '../../scenarios/support';

const LIMIT = 10;

/** The customer's biggest order that still counts in the summary. */
function biggestCounted(data: Known, customerId: number): KnownOrder | undefined {
  return data.orders
    .filter((o) => o.customerId === customerId && o.status === 'paid' && !o.isArchived && !o.deletedAt)
    .sort((a, b) => b.totalCents - a.totalCents)[0];
}

export default defineHiddenScenario({
  id: 'summary-after-writes',
  deepens: 'summary-n-plus-one',
  title: 'Asked again after each order placed, cancelled, archived or deleted, every service process ranks the customers anew',
  teaches: 'Part C in depth: a faster summary must never serve a stale ranking, in any process',
  timeoutMs: 120_000,
  async run(ctx): Promise<Outcome> {
    let known: Known = await ctx.step('Load a shop of 12 customers with 3 orders each', () =>
      ctx.load({ label: 'summary-writes', customers: 12, ordersPerCustomer: 3, itemsPerOrder: 2 }),
    );
    const { tenant } = known;
    const second = await ctx.step('Start a second process of the service on the same database', () => ctx.secondService());
    const readers: [string, Http][] = [['this process', ctx.http], ...(second ? [['the second process', second] as [string, Http]] : [])];

    const stale: { who: string; after: string; wrong: string }[] = [];
    const ask = async (after: string) => {
      const expected = expectedSummary(known, LIMIT);
      for (const [who, http] of readers) {
        const answer = await ctx.step(`Ask ${who} for the summary ${after}`, () => http.get(`/api/orders/summary?limit=${LIMIT}`, { tenant }));
        const wrong = answer.status === 200 ? differences(expected, answer.body?.rows) : [`HTTP ${answer.status}`];
        ctx.observe(`${who}, ${after}`, wrong.length ? wrong[0]! : 'as computed from the data');
        if (wrong.length) stale.push({ who, after, wrong: wrong[0]! });
      }
    };
    /** Applies a write to the known data; the ranking must move, or the check could not fail. */
    const write = async (after: string, act: () => Promise<Known>) => {
      const ranked = expectedSummary(known, LIMIT);
      const changed = await ctx.step(after, act);
      const { data, destroyed } = surviving(changed, await ctx.snapshot(tenant));
      if (destroyed.length) ctx.observe(`rows destroyed by "${after}" (another incident's bug; judged on what is left)`, `orders ${destroyed.join(', ')}`);
      known = data;
      if (!differences(ranked, expectedSummary(known, LIMIT)).length) throw new Error(`"${after}" did not change the expected ranking: the scenario cannot tell a stale answer`);
      await ask(`after: ${after}`);
    };
    const top = () => expectedSummary(known, LIMIT)[0]!.customerId;

    await ask('before any write');
    await write('the last-ranked customer places a paid order big enough to rank first', async () => {
      const ranked = expectedSummary(known, LIMIT);
      const last = ranked[ranked.length - 1]!;
      const product = [...known.products].sort((a, b) => b.priceCents - a.priceCents)[0]!;
      const lines = [{ productId: product.id, quantity: Math.ceil((ranked[0]!.totalCents + 1) / product.priceCents) }];
      const answer = await ctx.http.post('/api/orders', { tenant, body: { customerId: last.customerId, items: lines } });
      expectStatus(answer, 201, 'placing the order');
      return { ...known, orders: [...known.orders, placedOrder(known, answer.body, last.customerId, lines)] };
    });
    for (const [action, change, path] of [
      ['cancels', { status: 'cancelled' as const }, (id: number) => ctx.http.post(`/api/orders/${id}/cancel`, { tenant })],
      ['archives', { isArchived: true }, (id: number) => ctx.http.post(`/api/orders/${id}/archive`, { tenant })],
      ['soft-deletes', { deletedAt: 'deleted by this scenario' }, (id: number) => ctx.http.delete(`/api/orders/${id}`, { tenant })],
    ] as const) {
      const order = biggestCounted(known, top());
      if (!order) throw new Error('the top customer has no paid order left to change');
      await write(`an agent ${action} the top customer's biggest paid order #${order.id}`, async () => {
        const answer = await path(order.id);
        if (answer.status >= 300) throw new Error(`${action} order #${order.id} answered ${answer.status}`);
        return withOrder(known, order.id, change);
      });
    }

    const here = stale.filter((s) => s.who === 'this process');
    if (here.length) {
      return { verdict: 'FAIL', reason: `the summary does not follow the writes: ${here.length} answer(s) differ from the data, first ${here[0]!.after}: ${here[0]!.wrong}` };
    }
    if (stale.length) {
      return { verdict: 'FAIL', reason: `the summary is fresh in the process that wrote but stale in a second process on the same database, first ${stale[0]!.after}: ${stale[0]!.wrong}` };
    }
    if (!second) {
      return {
        verdict: 'INCONCLUSIVE',
        reason: `every answer of one process matched the data after each write; ${ctx.backend.name} keeps its database inside one process, so a second process cannot be asked`,
        settleWith: ctx.backend.settleWith,
      };
    }
    return { verdict: 'PASS', reason: 'after each order placed, cancelled, archived and deleted, both processes answered the ranking computed from the data' };
  },
});
