// Incident: support filters orders by status and email; a typo'd status silently shows nothing, and big pages are slow.
import { defineScenario, type LoadedOrder } from '../harness/scenario';
import { emailOf, listedOrders } from './oracles';

const PAGE = 100;
/** The N of a list is the page, not the shop. */
const PAGE_SIZES = [10, 30, 100] as const;

export default defineScenario({
  id: 'filters',
  title: 'The orders list accepts any status silently and runs two queries per order on the page',
  teaches: 'add status and email filters to GET /api/orders without an N+1',
  async run(ctx) {
    const data = await ctx.step('Load a shop with orders in every status', () =>
      ctx.load({ label: 'filters', customers: Math.max(ctx.sizes[1], 30), ordersPerCustomer: 5, itemsPerOrder: 3 }),
    );
    const { tenant } = data;
    const problems: string[] = [];
    const check = (label: string, expected: LoadedOrder[], body: any) => {
      const ids = (body?.results ?? []).map((o: { id: number }) => o.id);
      // The list is newest first; ties by id.
      const want = [...expected].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id).slice(0, PAGE).map((o) => o.id);
      const ok = body?.count === expected.length && ids.length === want.length && want.every((id) => ids.includes(id));
      ctx.observe(`${label}: expected ${expected.length}, answered`, body?.count ?? null);
      if (!ok) problems.push(`${label} answered ${body?.count ?? 'no'} orders, expected ${expected.length} (the first page must be the newest ${want.length})`);
    };

    const paid = await ctx.step('Filter by status=paid', () => ctx.http.get(`/api/orders?status=paid&pageSize=${PAGE}`, { tenant }));
    check('status=paid', listedOrders(data).filter((o) => o.status === 'paid'), paid.body);

    const fragment = 'CUSTOMER1';
    const byEmail = await ctx.step(`Filter by email=${fragment} (any case, any part of the address)`, () =>
      ctx.http.get(`/api/orders?email=${fragment}&pageSize=${PAGE}`, { tenant }),
    );
    const matches = (o: { customerId: number }) => emailOf(data, o.customerId).includes(fragment.toLowerCase());
    check(`email=${fragment}`, listedOrders(data).filter(matches), byEmail.body);

    const both = await ctx.step('Combine status=shipped with the same email filter', () =>
      ctx.http.get(`/api/orders?status=shipped&email=${fragment}&pageSize=${PAGE}`, { tenant }),
    );
    check('status=shipped and email', listedOrders(data).filter((o) => o.status === 'shipped' && matches(o)), both.body);

    const typo = await ctx.step('Ask for status=payed (a typo)', () => ctx.http.get('/api/orders?status=payed', { tenant }));
    ctx.observe('status=payed answered', typo.status === 200 ? `200 with ${typo.body?.count} orders` : `${typo.status}: ${typo.body?.message}`);
    const allowedListed = typeof typo.body?.message === 'string' && ['draft', 'paid', 'shipped', 'cancelled'].every((s) => typo.body.message.includes(s));
    if (typo.status !== 400 || !allowedListed) problems.push(`status=payed answered ${typo.status} instead of a 400 that lists the allowed statuses`);

    const scaling = await ctx.step('List pages of 10, 30 and 100 orders', () =>
      ctx.scaling('GET /api/orders?pageSize=N', (size) => ctx.http.get(`/api/orders?pageSize=${size}`, { tenant }), 'orders on the page', PAGE_SIZES),
    );
    await ctx.step('Group the SQL of the status=paid request by shape', () => ctx.queryShapes(paid, `GET /api/orders?status=paid&pageSize=${PAGE}`));
    const [small, , large] = scaling.points;
    if (scaling.growth === 'grows') problems.push(`a page costs ${small!.queries} queries at ${small!.label} and ${large!.queries} at ${large!.label}: queries per order on the page`);

    if (problems.length) return { verdict: 'FAIL', reason: problems.join('; ') };
    return { verdict: 'PASS', reason: `filters return exactly the matching orders, a bad status gets a 400 naming the allowed values, and a page costs ${large!.queries} queries at any size` };
  },
});
