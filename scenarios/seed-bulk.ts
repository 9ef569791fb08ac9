// Incident: seeding a demo shop takes minutes, and a failure halfway leaves half a shop behind.
import { defineScenario } from '../harness/scenario';

const ORDERS_PER_CUSTOMER = 5;
const ITEMS_PER_ORDER = 3;

export default defineScenario({
  id: 'seed-bulk',
  title: 'Seeding writes one item at a time and re-totals the order after each, outside any transaction',
  teaches: 'bulk inserts in one transaction, totals computed once',
  async run(ctx) {
    const counts: string[] = [];
    const scaling = await ctx.step('Seed three empty shops of growing size through POST /api/dev/seed', () =>
      ctx.scaling(
        'POST /api/dev/seed',
        async (size) => {
          const tenant = await ctx.newTenant(`seed-${size}`);
          const response = await ctx.http.post('/api/dev/seed', {
            tenant,
            body: { customers: size, ordersPerCustomer: ORDERS_PER_CUSTOMER, itemsPerOrder: ITEMS_PER_ORDER, seed: ctx.options.seed },
          });
          const want = { customers: size, orders: size * ORDERS_PER_CUSTOMER, items: size * ORDERS_PER_CUSTOMER * ITEMS_PER_ORDER };
          const listed = await ctx.http.get('/api/customers?pageSize=1', { tenant, quiet: true });
          const ok = response.status === 201 && response.body.customers === want.customers && response.body.orders === want.orders && response.body.items === want.items && listed.body.count === size;
          if (!ok) counts.push(`seeding ${size} customers answered ${response.status} ${JSON.stringify(response.body)}, and the shop lists ${listed.body?.count} customers`);
          return response;
        },
      ),
    );
    const [small, , large] = scaling.points;
    const items = large!.size * ORDERS_PER_CUSTOMER * ITEMS_PER_ORDER;
    ctx.observe('queries per item seeded (largest shop)', Number((large!.queries / items).toFixed(2)));

    if (counts.length) return { verdict: 'FAIL', reason: counts[0]! };
    if (scaling.growth === 'grows') {
      return { verdict: 'FAIL', reason: `seeding costs ${small!.queries} queries for ${small!.label} and ${large!.queries} for ${large!.label}: about ${(large!.queries / items).toFixed(1)} queries per item` };
    }
    return { verdict: 'PASS', reason: `seeding ${items} items costs ${large!.queries} queries in one transaction, nearly the same as ${small!.queries} for the smallest shop` };
  },
});
