// Incident: a shop owner opened an order link from a support ticket and saw, then cancelled, another shop's order.
import { defineScenario } from '../harness/scenario';
import { createCustomer, createProduct, placeOrder } from './support';

export default defineScenario({
  id: 'tenant-isolation',
  title: 'Fetching or cancelling an order by id ignores X-Tenant-ID, so one shop can read and change another\'s orders',
  teaches: 'Node assessment: every request is scoped by X-Tenant-ID (documented upstream, never enforced there)',
  async run(ctx) {
    const { shopA, shopB, order } = await ctx.step('Create shop A with an order, and shop B', async () => {
      const shopA = await ctx.newTenant('shop-a');
      const shopB = await ctx.newTenant('shop-b');
      const customer = await createCustomer(ctx, shopA, 'private@shop-a.example');
      const product = await createProduct(ctx, shopA, 'SECRET', 5000);
      return { shopA, shopB, order: await placeOrder(ctx, shopA, customer.id, [{ productId: product.id, quantity: 1 }]) };
    });
    const read = await ctx.step(`Shop B asks for order #${order.id}`, () => ctx.http.get(`/api/orders/${order.id}`, { tenant: shopB }));
    ctx.observe('shop B reading shop A\'s order answered', read.status);
    if (read.status === 200) ctx.observe('what shop B saw', `customer ${read.body.customerEmail}, total ${read.body.totalCents} cents`);

    const cancel = await ctx.step(`Shop B cancels order #${order.id}`, () => ctx.http.post(`/api/orders/${order.id}/cancel`, { tenant: shopB }));
    ctx.observe('shop B cancelling it answered', cancel.status);
    const after = await ctx.step('Shop A reads its order again', () => ctx.http.get(`/api/orders/${order.id}`, { tenant: shopA }));
    ctx.observe('shop A now sees', after.status === 200 ? `status ${after.body.status}` : `HTTP ${after.status}`);

    const problems = [];
    if (read.status !== 404) problems.push(`shop B read shop A's order (HTTP ${read.status})`);
    if (cancel.status !== 404) problems.push(`shop B's cancel answered ${cancel.status}`);
    if (after.status !== 200 || after.body.status !== order.status) problems.push(`shop A's order is now ${after.status === 200 ? `"${after.body.status}"` : `HTTP ${after.status}`}`);
    if (problems.length) return { verdict: 'FAIL', reason: problems.join('; ') };
    return { verdict: 'PASS', reason: 'another shop gets 404 for the order, and the order stays as it was' };
  },
});
