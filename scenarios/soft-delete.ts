// Incident: an agent deleted a duplicate order; accounting can no longer find it, nor its items, anywhere.
import { defineScenario } from '../harness/scenario';
import { createCustomer, createProduct, placeOrder } from './support';

export default defineScenario({
  id: 'soft-delete',
  title: 'DELETE /api/orders/:id destroys the order and its items instead of hiding them',
  teaches: 'Regression Lab, Part B option 3: soft delete, hidden from lists by default but retrievable by id',
  async run(ctx) {
    const tenant = await ctx.newTenant('soft-delete');
    const { order, kept } = await ctx.step('Create a customer with two orders', async () => {
      const customer = await createCustomer(ctx, tenant, 'alan@example.com');
      const product = await createProduct(ctx, tenant, 'PEN', 300);
      return {
        order: await placeOrder(ctx, tenant, customer.id, [{ productId: product.id, quantity: 3 }]),
        kept: await placeOrder(ctx, tenant, customer.id, [{ productId: product.id, quantity: 1 }]),
      };
    });
    const before = await ctx.snapshot(tenant);
    const deleted = await ctx.step(`Delete order #${order.id}`, () => ctx.http.delete(`/api/orders/${order.id}`, { tenant }));
    const list = await ctx.step('List the orders', () => ctx.http.get('/api/orders', { tenant }));
    const byId = await ctx.step(`Fetch order #${order.id} by id`, () => ctx.http.get(`/api/orders/${order.id}`, { tenant }));
    const after = await ctx.snapshot(tenant);
    ctx.table('Rows in the shop', ['table', 'before delete', 'after delete'], [
      ['orders', before.orders.length, after.orders.length],
      ['order items', before.items.length, after.items.length],
    ]);
    const listedIds = (list.body?.results ?? []).map((o: { id: number }) => o.id);

    if (deleted.status !== 204) return { verdict: 'FAIL', reason: `DELETE answered ${deleted.status} instead of 204` };
    if (listedIds.includes(order.id) || !listedIds.includes(kept.id)) return { verdict: 'FAIL', reason: 'the list does not hide exactly the deleted order' };
    if (byId.status !== 200) {
      return { verdict: 'FAIL', reason: `the deleted order is gone for good: GET by id answers ${byId.status}, and ${before.items.length - after.items.length} item row(s) were destroyed` };
    }
    if (!byId.body.deletedAt || byId.body.items.length !== order.items.length) {
      return { verdict: 'FAIL', reason: 'the deleted order reads back without its deletedAt mark or without its items' };
    }
    return { verdict: 'PASS', reason: 'the order is hidden from the list, still readable by id with deletedAt set, items intact' };
  },
});
