// Incident: the "top customers" dashboard takes seconds as the shop grows, and its latency climbs with every order.
import { defineScenario } from '../harness/scenario';
import { differences, expectedSummary } from './oracles';

const LIMIT = 50;
/**
 * The shop under load ranks all its customers: the dashboard of a shop this size, where the cost
 * of a query per customer and per order is plain in the latency, not only in the query count.
 */
const LOAD_CUSTOMERS = 150;

export default defineScenario({
  id: 'summary-n-plus-one',
  title: 'The top-customers summary runs a query per customer and per order, so it slows down as the shop grows',
  teaches: 'make GET /api/orders/summary fast with evidence, without changing its answer',
  async run(ctx) {
    const shops = new Map<number, Awaited<ReturnType<typeof ctx.load>>>();
    // The summary's N is the customers it ranks: `limit`, up to the shop's size.
    const scaling = await ctx.step('Ask three shops of growing size for a summary of all their customers', () =>
      ctx.scaling('GET /api/orders/summary?limit=N', async (size) => {
        const data = await ctx.load({ label: `summary-${size}`, customers: size, ordersPerCustomer: 5, itemsPerOrder: 3 });
        shops.set(size, data);
        return ctx.http.get(`/api/orders/summary?limit=${size}`, { tenant: data.tenant });
      }),
    );
    const largest = shops.get(ctx.sizes[2])!;
    const answer = await ctx.step('Compare the largest shop\'s summary with the one computed from its data', () =>
      ctx.http.get(`/api/orders/summary?limit=${LIMIT}`, { tenant: largest.tenant }),
    );
    const wrong = differences(expectedSummary(largest, LIMIT), answer.body?.rows);
    ctx.observe('rows that differ from the oracle', wrong.length ? wrong.slice(0, 5).join('; ') : 'none');
    await ctx.step('Group the SQL of that request by shape', () => ctx.queryShapes(answer, 'GET /api/orders/summary?limit=50'));
    // pg-mem's latency is not a server's (and its joins slow down with the square of the rows):
    // there the largest shop of the table is loaded, and the query counts are the evidence.
    const onServer = ctx.backend.capabilities.representativeLatency;
    const loaded = onServer ? Math.max(ctx.sizes[2], LOAD_CUSTOMERS) : ctx.sizes[2];
    await ctx.step(`Put a shop of ${loaded} customers under load, interleaved with the floor`, async () => {
      const shop = loaded > ctx.sizes[2] ? await ctx.load({ label: 'summary-load', customers: loaded, ordersPerCustomer: 5, itemsPerOrder: 3 }) : largest;
      return ctx.loadTest('summary', `/api/orders/summary?limit=${onServer ? loaded : LIMIT}`, shop.tenant, `${loaded} customers`);
    });

    const [small, , large] = scaling.points;
    if (wrong.length) return { verdict: 'FAIL', reason: `the summary's answer is wrong: ${wrong[0]}` };
    if (scaling.growth === 'grows') {
      return { verdict: 'FAIL', reason: `one summary request costs ${small!.queries} queries at ${small!.label} and ${large!.queries} at ${large!.label}: a query per customer and per order` };
    }
    return { verdict: 'PASS', reason: `the same answer as the original code in ${large!.queries} quer${large!.queries === 1 ? 'y' : 'ies'} at every size` };
  },
});
