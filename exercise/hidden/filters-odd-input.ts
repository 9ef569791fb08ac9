// Hidden, deepens filters. The public scenario asks for the filters the way a careful client would;
// support agents type anything. A LIKE pattern built from the input turns % and _ into wildcards,
// a wrong-case status must not silently answer nothing, and paging must stay consistent.
import { defineHiddenScenario } from './define';
import { emailOf, listedOrders } from '../../scenarios/oracles';

const STATUSES = ['draft', 'paid', 'shipped', 'cancelled'];

export default defineHiddenScenario({
  id: 'filters-odd-input',
  deepens: 'filters',
  title: 'The order filters treat the email text literally, reject or understand a wrong-case status, and page consistently',
  teaches: 'Part B (filters) in depth: input that is not what the happy path sends',
  timeoutMs: 60_000,
  async run(ctx) {
    const data = await ctx.step('Load a shop with orders in every status', () =>
      ctx.load({ label: 'filters-odd', customers: 12, ordersPerCustomer: 4, itemsPerOrder: 1 }),
    );
    const { tenant } = data;
    const listed = listedOrders(data);
    const newestFirst = (orders: typeof listed) => [...orders].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id).map((o) => o.id);
    const problems: string[] = [];
    const list = (query: string) => ctx.http.get(`/api/orders?${query}`, { tenant });

    const emailCases: [string, number[]][] = [
      ['%', []],
      ['_', []],
      ["' or 1=1 --", []],
      ['ü', []],
      ['Customer1@', listed.filter((o) => emailOf(data, o.customerId).includes('customer1@')).map((o) => o.id)],
      ['.EXAMPLE', listed.map((o) => o.id)],
    ];
    for (const [text, expected] of emailCases) {
      const answer = await ctx.step(`Filter by email=${text}`, () => list(`email=${encodeURIComponent(text)}&pageSize=100`));
      const ids: number[] = (answer.body?.results ?? []).map((o: { id: number }) => o.id);
      ctx.observe(`email=${text}: expected ${expected.length}, answered`, answer.status === 200 ? answer.body?.count ?? null : `HTTP ${answer.status}`);
      if (answer.status !== 200 || answer.body?.count !== expected.length || ids.length !== Math.min(expected.length, 100) || !ids.every((id) => expected.includes(id))) {
        problems.push(`email=${text} answered ${answer.status === 200 ? `${answer.body?.count} orders` : `HTTP ${answer.status}`}, expected ${expected.length}`);
      }
    }

    const paid = listed.filter((o) => o.status === 'paid');
    const upper = await ctx.step('Filter by status=PAID (wrong case)', () => list('status=PAID&pageSize=100'));
    ctx.observe('status=PAID answered', `${upper.status} ${JSON.stringify(upper.body?.message ?? upper.body?.count ?? '')}`);
    const rejected = upper.status === 400 && typeof upper.body?.message === 'string' && STATUSES.every((s) => upper.body.message.includes(s));
    const understood = upper.status === 200 && upper.body?.count === paid.length;
    if (!rejected && !understood) {
      problems.push(`status=PAID answered ${upper.status} with ${upper.body?.count ?? 'no'} orders: neither a 400 naming the allowed statuses nor the ${paid.length} paid orders`);
    }

    const page2 = await ctx.step('Ask for the second page of 5 paid orders', () => list('status=paid&page=2&pageSize=5'));
    const wantPage = newestFirst(paid).slice(5, 10);
    const gotPage: number[] = (page2.body?.results ?? []).map((o: { id: number }) => o.id);
    if (page2.status !== 200 || page2.body?.count !== paid.length || JSON.stringify(gotPage) !== JSON.stringify(wantPage)) {
      problems.push(`page 2 of the paid orders answered [${gotPage.join(', ')}] of ${page2.body?.count}, expected [${wantPage.join(', ')}] of ${paid.length}`);
    }
    const beyond = await ctx.step('Ask for a page far past the end', () => list('status=paid&page=999&pageSize=10'));
    if (beyond.status !== 200 || beyond.body?.count !== paid.length || (beyond.body?.results ?? []).length !== 0) {
      problems.push(`a page past the end answered ${beyond.status} with ${(beyond.body?.results ?? []).length} orders of ${beyond.body?.count}`);
    }

    if (problems.length) return { verdict: 'FAIL', reason: problems.slice(0, 3).join('; ') };
    return { verdict: 'PASS', reason: 'email text is matched literally and case-insensitively, a wrong-case status is handled, and pages are consistent' };
  },
});
