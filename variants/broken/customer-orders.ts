import type { Knex } from 'knex';
import type { Order, TenantId } from '../contract';
import { toItem, toOrder } from '../shared/rows';

export async function customerOrders(knex: Knex, tenant: TenantId, customerId: number): Promise<Order[] | null> {
  const customer = await knex('customers').where({ tenant_id: tenant, id: customerId }).first();
  if (!customer) return null;
  const rows = await knex('orders')
    .where({ customer_id: customerId, is_archived: false })
    .whereNull('deleted_at')
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
  const orders: Order[] = [];
  for (const row of rows) {
    const items = await knex('order_items').where({ order_id: row.id }).orderBy('id'); // exposed-by: customer-orders
    orders.push(toOrder({ ...row, customer_email: customer.email }, items.map(toItem)));
  }
  return orders;
}
