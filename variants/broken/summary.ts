import type { Knex } from 'knex';
import type { SummaryRow, TenantId } from '../contract';
import { num } from '../shared/rows';

/** Among the `limit` newest active customers: spend on paid, non-archived orders, biggest first. */
export async function summarize(knex: Knex, tenant: TenantId, limit: number): Promise<SummaryRow[]> {
  const customers = await knex('customers')
    .where({ tenant_id: tenant, is_active: true })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit);
  const rows: SummaryRow[] = [];
  for (const customer of customers) {
    // exposed-by: summary-n-plus-one
    const orders = await knex('orders')
      .where({ customer_id: customer.id, status: 'paid', is_archived: false })
      .whereNull('deleted_at');
    let totalCents = 0;
    for (const order of orders) {
      const items = await knex('order_items').where({ order_id: order.id }); // exposed-by: summary-n-plus-one
      for (const item of items) totalCents += num(item.quantity) * num(item.unit_price_cents);
    }
    rows.push({ customerId: num(customer.id), email: String(customer.email), orderCount: orders.length, totalCents });
  }
  return rows.sort((a, b) => b.totalCents - a.totalCents);
}
