// Incident: the customer page times out for loyal customers with long order histories.
import { defineScenario } from '../harness/scenario';
import { listedOrders, withOrder, type Known } from './oracles';

export default defineScenario({
  id: 'customer-orders',
  title: 'A customer\'s orders endpoint runs one query per order to fetch its items',
  teaches: 'GET /api/customers/:id/orders with attention to query efficiency',
  async run(ctx) {
    const problems: string[] = [];
    // One of the customer's orders is deleted first: a soft-deleted order is hidden here as in the list.
    const scaling = await ctx.step('Ask for the orders of a customer with a growing order history, one of them deleted', () =>
      ctx.scaling(
        'GET /api/customers/:id/orders',
        async (size) => {
          let data: Known = await ctx.load({ label: `history-${size}`, customers: 2, ordersPerCustomer: size, itemsPerOrder: 3 });
          const customer = data.customers[0]!;
          const doomed = listedOrders(data).find((o) => o.customerId === customer.id);
          if (doomed) {
            const deleted = await ctx.http.delete(`/api/orders/${doomed.id}`, { tenant: data.tenant, quiet: true });
            if (deleted.status === 204) data = withOrder(data, doomed.id, { deletedAt: 'deleted by this scenario' });
          }
          const response = await ctx.http.get(`/api/customers/${customer.id}/orders`, { tenant: data.tenant });
          const expected = listedOrders(data).filter((o) => o.customerId === customer.id);
          const answered = Array.isArray(response.body) ? response.body : [];
          const sameOrders = answered.length === expected.length && expected.every((o) => answered.some((a: any) => a.id === o.id && a.items.length === o.items.length));
          if (!sameOrders) {
            const shown = doomed && answered.some((a: any) => a.id === doomed.id) ? ` (the deleted order #${doomed.id} among them)` : '';
            problems.push(`for ${size} orders it answered ${answered.length} orders${shown}, expected ${expected.length} with their items`);
          }
          return response;
        },
        'orders',
      ),
    );
    const unknown = await ctx.step('Ask for the orders of a customer that does not exist', async () => {
      const tenant = await ctx.newTenant('history-unknown');
      return ctx.http.get('/api/customers/999999/orders', { tenant });
    });
    if (unknown.status !== 404) problems.push(`an unknown customer answered ${unknown.status} instead of 404`);

    const [small, , large] = scaling.points;
    if (scaling.growth === 'grows') problems.push(`${small!.queries} queries for ${small!.label}, ${large!.queries} for ${large!.label}: one query per order`);
    if (problems.length) return { verdict: 'FAIL', reason: problems.join('; ') };
    return { verdict: 'PASS', reason: `the orders and their items in ${large!.queries} queries however long the history` };
  },
});
