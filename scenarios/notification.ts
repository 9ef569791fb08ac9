// Incident: customers say their order confirmations arrive "sometimes"; the API says none were sent.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineScenario } from '../harness/scenario';
import { createCustomer, createProduct, placeOrder } from './support';

export default defineScenario({
  id: 'notification',
  title: 'The order confirmation is sent after the answer, so a new order reports notificationSentAt: null',
  teaches: 'Node assessment, Part 1 warm-up: a promise that is not awaited, and a stale object returned; Q1 (duplicate confirmations) and Q5 (setTimeout after writes)',
  async run(ctx) {
    const tenant = await ctx.newTenant('notify');
    const order = await ctx.step('Place an order', async () => {
      const customer = await createCustomer(ctx, tenant, 'grace@example.com');
      const product = await createProduct(ctx, tenant, 'TEA', 450);
      return placeOrder(ctx, tenant, customer.id, [{ productId: product.id, quantity: 1 }]);
    });
    ctx.observe('notificationSentAt in the 201 answer', order.notificationSentAt ?? null);

    const later = await ctx.step('Read the order again 200 ms later', async () => {
      await sleep(200);
      return ctx.http.get(`/api/orders/${order.id}`, { tenant });
    });
    ctx.observe('notificationSentAt 200 ms later', later.body?.notificationSentAt ?? null);

    if (order.notificationSentAt == null && later.body?.notificationSentAt) {
      return { verdict: 'FAIL', reason: 'the 201 answer says no confirmation was sent, yet 200 ms later the order shows one: the send is not awaited and the answer is the order as it was before' };
    }
    if (order.notificationSentAt == null) return { verdict: 'FAIL', reason: 'no confirmation was recorded, not even 200 ms later' };
    return { verdict: 'PASS', reason: 'the confirmation is recorded before the order is returned' };
  },
});
