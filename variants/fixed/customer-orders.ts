import type { Knex } from 'knex';
import type { Order, TenantId } from '../contract';
import { withItems } from './orders';

/** Two queries whatever the number of orders: the orders (with the customer's existence), then all their items. */
export async function customerOrders(knex: Knex, tenant: TenantId, customerId: number): Promise<Order[] | null> {
  const rows = await knex('customers as c')
    .leftJoin('orders as o', (join) =>
      join.on('o.customer_id', 'c.id').andOn('o.is_archived', knex.raw('false')).andOnNull('o.deleted_at'),
    )
    .where({ 'c.tenant_id': tenant, 'c.id': customerId })
    .select('o.*', 'c.email as customer_email', 'c.id as cid')
    .orderBy([{ column: 'o.created_at', order: 'desc' }, { column: 'o.id', order: 'desc' }]);
  if (rows.length === 0) return null;
  return withItems(knex, rows.filter((row) => row.id !== null));
}
