// Hidden, deepens concurrent-oversell. In production the service runs as several processes on one
// database. A lock or queue inside one process makes the public race pass and changes nothing
// here: only the database (a conditional update, a row lock) can keep the stock invariant.
import { defineHiddenScenario } from './define';
import { createCustomer, createProduct, firstBadRace, raceForStock, raceSummary, type Race } from '../../scenarios/support';

const STOCK = 5;
const BUYERS = 40;

export default defineHiddenScenario({
  id: 'oversell-two-processes',
  deepens: 'concurrent-oversell',
  title: 'Two service processes sharing one database never sell more units than the stock holds',
  teaches: 'Part D in depth: the invariant must hold across processes, so an in-process lock is not a fix',
  timeoutMs: 120_000,
  async run(ctx) {
    const second = await ctx.step('Start a second process of the service on the same database', () => ctx.secondService());
    if (!second) {
      return {
        verdict: 'INCONCLUSIVE',
        reason: `${ctx.backend.name} keeps its database inside one process, so two service processes cannot share it`,
        settleWith: ctx.backend.settleWith,
      };
    }
    const { tenant, customer } = await ctx.step('Create a shop with a customer', async () => {
      const tenant = await ctx.newTenant('two-processes');
      return { tenant, customer: await createCustomer(ctx, tenant, 'buyer@example.com') };
    });
    const stockOf = async (productId: number) => (await ctx.http.get(`/api/products/${productId}`, { tenant, quiet: true })).body.stock as number;
    const order = (process: 0 | 1, items: { productId: number; quantity: number }[]) =>
      (process === 0 ? ctx.http : second).post('/api/orders', { tenant, quiet: true, body: { customerId: customer.id, items } });

    const partial = await ctx.step('An order whose second line is out of stock must take nothing of the first', async () => {
      const first = await createProduct(ctx, tenant, 'FIRST', 500, 3);
      const empty = await createProduct(ctx, tenant, 'EMPTY', 500, 0);
      const answer = await order(1, [{ productId: first.id, quantity: 1 }, { productId: empty.id, quantity: 1 }]);
      return { status: answer.status, firstStock: await stockOf(first.id) };
    });
    ctx.observe('mixed order answered (expected 409)', partial.status);
    ctx.observe('first line\'s stock afterwards (expected 3)', partial.firstStock);

    const races: Race[] = [];
    for (let trial = 1; trial <= ctx.options.trials; trial += 1) {
      const race = await ctx.step(`Trial ${trial}: ${BUYERS} orders of 1 unit, split over both processes, against stock ${STOCK}`, async () => {
        const product = await createProduct(ctx, tenant, `TWO-${trial}`, 900, STOCK);
        return raceForStock(ctx, tenant, product, STOCK, BUYERS, (i) => order((i % 2) as 0 | 1, [{ productId: product.id, quantity: 1 }]), { processes: 2, processOf: (i) => i % 2 });
      });
      ctx.race(race.trial);
      races.push(race);
    }

    const bad = firstBadRace(races);
    if (bad) {
      const { trial } = bad.race;
      return {
        verdict: 'FAIL',
        reason: `with two processes, trial ${bad.index + 1}: ${trial.accepted} of ${BUYERS} orders accepted against stock ${STOCK}, ${trial.unitsSold} units sold, final stock ${trial.finalStock}: ${bad.problems.join('; ')}`,
      };
    }
    if (partial.status !== 409 || partial.firstStock !== 3) {
      return { verdict: 'FAIL', reason: `an order with an out-of-stock second line answered ${partial.status} and left the first line's stock at ${partial.firstStock} (expected 409 and 3)` };
    }
    return { verdict: 'PASS', reason: `across two processes, ${raceSummary(races)}` };
  },
});
