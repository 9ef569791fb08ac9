// Incident: during a flash sale, 50 customers bought the last 5 mugs, and the stock count went negative.
import { defineScenario, type Http } from '../harness/scenario';
import { acceptedTooMany, createCustomer, createProduct, firstBadRace, raceForStock, raceSummary, type Race } from './support';

const STOCK = 5;
const BUYERS = 50;
/** As many buyers as units: every one must get one, so a buyer who lost a race and was refused shows. */
const EXACT = 10;

export default defineScenario({
  id: 'concurrent-oversell',
  title: 'Concurrent orders sell more units than the stock holds, and the stock count drifts or goes negative',
  teaches: 'find the race conditions in inventory and make oversell impossible',
  async run(ctx) {
    const { tenant, customer } = await ctx.step('Create a shop with a customer', async () => {
      const tenant = await ctx.newTenant('oversell');
      return { tenant, customer: await createCustomer(ctx, tenant, 'buyer@example.com') };
    });
    // With --processes N, the races' orders are dealt over N service processes on one database,
    // as production runs it: a lock that lives in one process no longer holds.
    const wanted = ctx.options.processes ?? 1;
    const services: Http[] = [ctx.http];
    if (wanted > 1) {
      await ctx.step(`Start ${wanted - 1} more process${wanted > 2 ? 'es' : ''} of the service on the same database`, async () => {
        for (let n = 1; n < wanted; n += 1) {
          const sibling = await ctx.secondService();
          if (!sibling) break;
          services.push(sibling);
        }
      });
      if (services.length < wanted) ctx.caveat(`${wanted} service processes were asked for, but ${ctx.backend.name} keeps its database inside one process: the races ran on one`);
    }
    const processes = services.length;
    if (wanted > 1) ctx.observe('service processes taking the race\'s orders', processes);
    const across = processes > 1 ? `, split over ${processes} service processes` : '';
    const stockOf = async (productId: number) => (await ctx.http.get(`/api/products/${productId}`, { tenant, quiet: true })).body.stock as number;
    const order = (items: { productId: number; quantity: number }[], quiet = false, via: Http = ctx.http) =>
      via.post('/api/orders', { tenant, quiet, body: { customerId: customer.id, items } });

    const sequential = await ctx.step(`One after another, order 2, 2 and 2 units of a product with stock ${STOCK}`, async () => {
      const product = await createProduct(ctx, tenant, 'SEQ', 900, STOCK);
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await order([{ productId: product.id, quantity: 2 }])).status);
      return { statuses, finalStock: await stockOf(product.id) };
    });
    ctx.observe('sequential answers (expected 201, 201, 409)', sequential.statuses.join(', '));
    ctx.observe('stock after the sequential orders (expected 1)', sequential.finalStock);

    const twoLines = await ctx.step('Order the same product on two lines of one order: 2 + 2, then 1 + 2, against stock 3', async () => {
      const product = await createProduct(ctx, tenant, 'TWICE', 900, 3);
      const tooMany = (await order([{ productId: product.id, quantity: 2 }, { productId: product.id, quantity: 2 }])).status;
      const stockAfterTooMany = await stockOf(product.id);
      const fits = (await order([{ productId: product.id, quantity: 1 }, { productId: product.id, quantity: 2 }])).status;
      return { tooMany, stockAfterTooMany, fits, finalStock: await stockOf(product.id) };
    });
    ctx.observe('2 + 2 of stock 3 answered (expected 409)', twoLines.tooMany);
    ctx.observe('stock after it (expected 3)', twoLines.stockAfterTooMany);
    ctx.observe('1 + 2 of stock 3 answered (expected 201)', twoLines.fits);
    ctx.observe('stock after it (expected 0)', twoLines.finalStock);

    const processOf = (i: number) => i % processes;
    const race = (sku: string, stock: number, buyers: number) => async () => {
      const product = await createProduct(ctx, tenant, sku, 900, stock);
      return raceForStock(ctx, tenant, product, stock, buyers, (i) => order([{ productId: product.id, quantity: 1 }], true, services[processOf(i)]), { processes, processOf });
    };
    const races: Race[] = [];
    const exact: Race[] = [];
    for (let trial = 1; trial <= ctx.options.trials; trial += 1) {
      races.push(await ctx.step(`Trial ${trial}: ${BUYERS} customers order 1 unit of a product with stock ${STOCK} at the same moment${across}`, race(`RACE-${trial}`, STOCK, BUYERS)));
      exact.push(await ctx.step(`Trial ${trial}: ${EXACT} customers order 1 unit of a product with stock ${EXACT} at the same moment${across}`, race(`EXACT-${trial}`, EXACT, EXACT)));
    }
    for (const { trial } of [...races, ...exact]) ctx.race(trial);

    // Shown by the answers alone, so no backend's arithmetic can produce them from correct code.
    if (sequential.statuses[2] === 201) {
      return { verdict: 'FAIL', reason: `three sequential orders of 2 against stock ${STOCK} all succeeded and left stock at ${sequential.finalStock}: the stock check reads a stale cache` };
    }
    if (twoLines.tooMany === 201) {
      return { verdict: 'FAIL', reason: `one order with the same product on two lines (2 + 2) was accepted against stock 3, leaving ${twoLines.stockAfterTooMany}: each line was checked alone` };
    }
    const greedy = [...races, ...exact].find(acceptedTooMany)?.trial;
    if (greedy) {
      return { verdict: 'FAIL', reason: `${greedy.accepted} of ${greedy.requests} concurrent orders accepted against stock ${greedy.initialStock}${across}: ${greedy.unitsSold} units sold, final stock ${greedy.finalStock}` };
    }

    const problems: string[] = [];
    if (sequential.statuses.join() !== '201,201,409' || sequential.finalStock !== STOCK - 4) {
      problems.push(`sequential orders of 2, 2, 2 against stock ${STOCK} answered ${sequential.statuses.join(', ')} and left stock ${sequential.finalStock} (expected 201, 201, 409 and 1)`);
    }
    if (twoLines.tooMany !== 409 || twoLines.stockAfterTooMany !== 3) {
      problems.push(`an order of 2 + 2 of one product against stock 3 answered ${twoLines.tooMany} and left stock ${twoLines.stockAfterTooMany} (expected 409 and 3)`);
    }
    if (twoLines.fits !== 201 || twoLines.finalStock !== 0) {
      problems.push(`an order of 1 + 2 of one product against stock 3 answered ${twoLines.fits} and left stock ${twoLines.finalStock} (expected 201 and 0: stock taken for both lines)`);
    }
    const bad = firstBadRace(races);
    if (bad) problems.push(`trial ${bad.index + 1}, ${BUYERS} buyers for ${STOCK} units${across}: ${bad.problems.join('; ')}`);
    const short = firstBadRace(exact);
    if (short) problems.push(`trial ${short.index + 1}, ${EXACT} buyers for ${EXACT} units${across}: ${short.problems.join('; ')}`);

    const oneProcess = wanted > processes ? `; and it keeps its database inside one process, so the ${wanted} service processes asked for ran as one` : '';
    if (!ctx.backend.capabilities.concurrentTransactions) {
      return {
        verdict: 'INCONCLUSIVE',
        reason: problems.length
          ? `${problems.join('; ')}; but ${ctx.backend.name} is no evidence for these numbers: it runs one transaction at a time and computes some SQL wrong (stock - ? without a cast, pg-mem#482)${oneProcess}`
          : `no oversell in ${races.length} trials, but ${ctx.backend.name} runs one transaction at a time, so code without a row lock or conditional update would pass too${oneProcess}`,
        settleWith: ctx.backend.settleWith,
      };
    }
    if (problems.length) return { verdict: 'FAIL', reason: problems.join('; ') };
    return {
      verdict: 'PASS',
      reason: `${BUYERS} buyers for ${STOCK} units${across} ${raceSummary(races)}; ${EXACT} buyers for ${EXACT} units${across} ${raceSummary(exact)}; sequential and two-line orders took exactly their stock`,
    };
  },
});
