// Incident: support filters orders by status and email; a typo'd status silently shows nothing, and big pages are slow.
import { defineScenario } from '../harness/scenario';
import { emailOf, listedOrders } from './oracles';

const PAGE = 100;

export default defineScenario({
  id: 'filters',
  title: 'The orders list accepts any status silently and runs two queries per order on the page',
  teaches: 'Regression Lab, Part B option 2: add status and email filters to GET /api/orders without an N+1',
  async run(ctx) {
    const data = await ctx.step('Load a shop with orders in every status', () =>
      ctx.load({ label: 'filters', customers: ctx.sizes[1], ordersPerCustomer: 5, itemsPerOrder: 3 }),
    );
    const { tenant } = data;
    const problems: string[] = [];
    const check = (label: string, expectedIds: number[], body: any) => {
      const ids = (body?.results ?? []).map((o: { id: number }) => o.id);
      const want = expectedIds.sort((a, b) => b - a).slice(0, PAGE);
      const ok = body?.count === expectedIds.length && ids.length === want.length && want.every((id) => ids.includes(id));
      ctx.observe(`${label}: expected ${expectedIds.length}, answered`, body?.count ?? null);
      if (!ok) problems.push(`${label} answered ${body?.count ?? 'no'} orders, expected ${expectedIds.length}`);
    };

    const paid = await ctx.step('Filter by status=paid', () => ctx.http.get(`/api/orders?status=paid&pageSize=${PAGE}`, { tenant }));
    check('status=paid', listedOrders(data).filter((o) => o.status === 'paid').map((o) => o.id), paid.body);

    const fragment = 'CUSTOMER1';
    const byEmail = await ctx.step(`Filter by email=${fragment} (any case, any part of the address)`, () =>
      ctx.http.get(`/api/orders?email=${fragment}&pageSize=${PAGE}`, { tenant }),
    );
    const matches = (o: { customerId: number }) => emailOf(data, o.customerId).includes(fragment.toLowerCase());
    check(`email=${fragment}`, listedOrders(data).filter(matches).map((o) => o.id), byEmail.body);

    const both = await ctx.step('Combine status=shipped with the same email filter', () =>
      ctx.http.get(`/api/orders?status=shipped&email=${fragment}&pageSize=${PAGE}`, { tenant }),
    );
    check('status=shipped and email', listedOrders(data).filter((o) => o.status === 'shipped' && matches(o)).map((o) => o.id), both.body);

    const typo = await ctx.step('Ask for status=payed (a typo)', () => ctx.http.get('/api/orders?status=payed', { tenant }));
    ctx.observe('status=payed answered', typo.status === 200 ? `200 with ${typo.body?.count} orders` : `${typo.status}: ${typo.body?.message}`);
    const allowedListed = typeof typo.body?.message === 'string' && ['draft', 'paid', 'shipped', 'cancelled'].every((s) => typo.body.message.includes(s));
    if (typo.status !== 400 || !allowedListed) problems.push(`status=payed answered ${typo.status} instead of a 400 that lists the allowed statuses`);

    const scaling = await ctx.step(`List pages of up to ${PAGE} orders in three shops of growing size`, () =>
      ctx.scaling(`GET /api/orders?pageSize=${PAGE}`, async (size) => {
        const shop = await ctx.load({ label: `filters-${size}`, customers: size, ordersPerCustomer: 5, itemsPerOrder: 3 });
        return ctx.http.get(`/api/orders?pageSize=${PAGE}`, { tenant: shop.tenant });
      }),
    );
    await ctx.step('Group the SQL of the status=paid request by shape', () => ctx.queryShapes(paid, `GET /api/orders?status=paid&pageSize=${PAGE}`));
    const [small, , large] = scaling.points;
    if (scaling.growth === 'grows') problems.push(`a page costs ${small!.queries} queries at ${small!.label} and ${large!.queries} at ${large!.label}: queries per order on the page`);

    if (problems.length) return { verdict: 'FAIL', reason: problems.join('; ') };
    return { verdict: 'PASS', reason: `filters return exactly the matching orders, a bad status gets a 400 naming the allowed values, and a page costs ${large!.queries} queries at any size` };
  },
});
