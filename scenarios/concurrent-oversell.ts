// Incident: during a flash sale, 50 customers bought the last 5 mugs, and the stock count went negative.
import { defineScenario, type RaceTrial } from '../harness/scenario';
import { createCustomer, createProduct, raceForStock, worstTrial } from './support';

const STOCK = 5;
const BUYERS = 50;

export default defineScenario({
  id: 'concurrent-oversell',
  title: 'Concurrent orders sell more units than the stock holds, and the stock count drifts or goes negative',
  teaches: 'Node assessment, Part 1: find the race conditions in inventory and make oversell impossible',
  async run(ctx) {
    const { tenant, customer } = await ctx.step('Create a shop with a customer', async () => {
      const tenant = await ctx.newTenant('oversell');
      return { tenant, customer: await createCustomer(ctx, tenant, 'buyer@example.com') };
    });
    const stockOf = async (productId: number) => (await ctx.http.get(`/api/products/${productId}`, { tenant, quiet: true })).body.stock as number;

    const sequential = await ctx.step(`One after another, order 2, 2 and 2 units of a product with stock ${STOCK}`, async () => {
      const product = await createProduct(ctx, tenant, 'SEQ', 900, STOCK);
      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        statuses.push((await ctx.http.post('/api/orders', { tenant, body: { customerId: customer.id, items: [{ productId: product.id, quantity: 2 }] } })).status);
      }
      return { statuses, finalStock: await stockOf(product.id) };
    });
    ctx.observe('sequential answers (expected 201, 201, 409)', sequential.statuses.join(', '));
    ctx.observe('stock after the sequential orders (expected 1)', sequential.finalStock);

    const trials: RaceTrial[] = [];
    for (let trial = 1; trial <= ctx.options.trials; trial += 1) {
      const result = await ctx.step(`Trial ${trial}: ${BUYERS} customers order 1 unit of a product with stock ${STOCK} at the same moment`, async () => {
        const product = await createProduct(ctx, tenant, `RACE-${trial}`, 900, STOCK);
        return raceForStock(ctx, tenant, product, STOCK, BUYERS, () =>
          ctx.http.post('/api/orders', { tenant, quiet: true, body: { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] } }),
        );
      });
      ctx.race(result);
      trials.push(result);
    }

    const worst = worstTrial(trials);
    if (sequential.statuses[2] === 201 || sequential.finalStock < 0) {
      return { verdict: 'FAIL', reason: `three sequential orders of 2 against stock ${STOCK} all succeeded and left stock at ${sequential.finalStock}: the stock check reads a stale cache` };
    }
    if (worst.oversold > 0 || !worst.conserved) {
      return { verdict: 'FAIL', reason: `${worst.accepted} of ${BUYERS} concurrent orders accepted against stock ${STOCK}: ${worst.unitsSold} units sold, final stock ${worst.finalStock}${worst.conserved ? '' : ' (stock does not add up)'}` };
    }
    if (!ctx.backend.capabilities.concurrentTransactions) {
      return {
        verdict: 'INCONCLUSIVE',
        reason: `no oversell in ${trials.length} trials, but ${ctx.backend.name} runs one transaction at a time, so code without a row lock or conditional update would pass too`,
        settleWith: 'postgres',
      };
    }
    return { verdict: 'PASS', reason: `in ${trials.length} trials exactly ${STOCK} of ${BUYERS} concurrent orders succeeded, stock ended at 0 and every unit is accounted for` };
  },
});
