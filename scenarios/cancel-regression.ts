// Incident: after a support agent cancelled one order, the customer's account and order history vanished.
import { defineScenario } from '../harness/scenario';
import { createCustomer, createProduct, placeOrder } from './support';

export default defineScenario({
  id: 'cancel-regression',
  title: 'Cancelling one order deletes the customer and every other order they placed',
  teaches: 'reproduce a regression, find its root cause, fix it minimally, guard it with a test',
  async run(ctx) {
    const { tenant, customer, first, second } = await ctx.step('Create a customer with two paid orders', async () => {
      const tenant = await ctx.newTenant('cancel');
      const customer = await createCustomer(ctx, tenant, 'ada@example.com');
      const product = await createProduct(ctx, tenant, 'MUG', 1200);
      const first = await placeOrder(ctx, tenant, customer.id, [{ productId: product.id, quantity: 1 }]);
      const second = await placeOrder(ctx, tenant, customer.id, [{ productId: product.id, quantity: 2 }]);
      return { tenant, customer, first, second };
    });
    const before = await ctx.step('Record the rows the shop has', () => ctx.snapshot(tenant));

    const cancel = await ctx.step(`Cancel order #${first.id}`, () => ctx.http.post(`/api/orders/${first.id}/cancel`, { tenant }));
    ctx.observe('cancel answered', cancel.status);
    ctx.observe('cancelled order status in the answer', cancel.body?.status ?? null);

    const { customerAfter, secondAfter, firstAfter } = await ctx.step('Read the customer and both orders again', async () => ({
      customerAfter: await ctx.http.get(`/api/customers/${customer.id}`, { tenant }),
      firstAfter: await ctx.http.get(`/api/orders/${first.id}`, { tenant }),
      secondAfter: await ctx.http.get(`/api/orders/${second.id}`, { tenant }),
    }));
    const after = await ctx.snapshot(tenant);
    ctx.table('Rows in the shop', ['table', 'before cancel', 'after cancel'], [
      ['customers', before.customers, after.customers],
      ['orders', before.orders.length, after.orders.length],
      ['order items', before.items.length, after.items.length],
    ]);

    if (cancel.status !== 200) return { verdict: 'FAIL', reason: `cancelling answered ${cancel.status} instead of 200` };
    if (customerAfter.status !== 200) {
      return {
        verdict: 'FAIL',
        reason: `cancel answered 200, then GET /api/customers/${customer.id} answered ${customerAfter.status}: the customer was deleted, and with them ${before.orders.length - after.orders.length} order(s) and ${before.items.length - after.items.length} item(s)`,
        hazard: 'destroyed data',
      };
    }
    if (secondAfter.status !== 200 || secondAfter.body.status !== 'paid') {
      const gone = secondAfter.status === 404;
      return {
        verdict: 'FAIL',
        reason: `the customer's other order #${second.id} did not survive unchanged (HTTP ${secondAfter.status})`,
        ...(gone ? { hazard: 'destroyed data' as const } : {}),
      };
    }
    if (firstAfter.body?.status !== 'cancelled') {
      return { verdict: 'FAIL', reason: `order #${first.id} reads back as "${firstAfter.body?.status}", not "cancelled"` };
    }
    return { verdict: 'PASS', reason: 'the order is cancelled; the customer and their other order are untouched' };
  },
});
