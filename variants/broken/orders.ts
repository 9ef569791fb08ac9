import type { Knex } from 'knex';
import type { Order, OrderRepository, TenantId } from '../contract';
import { num, toItem, toOrder } from '../shared/rows';
import { summarize } from './summary';

async function orderWithDetails(knex: Knex, row: Record<string, unknown>): Promise<Order> {
  const customer = await knex('customers').where({ id: row.customer_id }).first('email');
  const items = await knex('order_items').where({ order_id: row.id }).orderBy('id');
  return toOrder({ ...row, customer_email: customer?.email ?? '' }, items.map(toItem));
}

export async function findOrder(knex: Knex, _tenant: TenantId, id: number): Promise<Order | null> {
  const row = await knex('orders').where({ id }).first(); // exposed-by: tenant-isolation
  return row ? orderWithDetails(knex, row) : null;
}

/** Every save of an order goes through here, so the hooks see every change. */
export async function saveOrder(knex: Knex, order: Order, changes: Record<string, unknown>): Promise<void> {
  await knex('orders').where({ id: order.id }).update({ ...changes, updated_at: knex.fn.now() });
  await onOrderSaved(knex, { ...order, ...changes });
}

async function onOrderSaved(knex: Knex, order: Order & Record<string, unknown>): Promise<void> {
  if (order.status === 'cancelled') {
    await knex('customers').where({ id: order.customerId }).del(); // exposed-by: cancel-regression
  }
}

export function createOrderRepository(knex: Knex): OrderRepository {
  return {
    async list(tenant, { page, pageSize, status, email }) {
      const visible = knex('orders').where({ tenant_id: tenant, is_archived: false }).whereNull('deleted_at');
      if (status) visible.where('status', status); // exposed-by: filters
      if (email) {
        visible.whereIn(
          'customer_id',
          knex('customers').select('id').where({ tenant_id: tenant }).whereILike('email', `%${email}%`), // exposed-by: filters
        );
      }
      const [counted] = await visible.clone().count({ n: '*' });
      const rows = await visible
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const results: Order[] = [];
      for (const row of rows) results.push(await orderWithDetails(knex, row)); // exposed-by: filters
      return { count: num(counted?.n), page, pageSize, results };
    },

    get: (tenant, id) => findOrder(knex, tenant, id),

    async archive(tenant, id) {
      const order = await findOrder(knex, tenant, id);
      if (!order) return null;
      await saveOrder(knex, order, { is_archived: true });
      return { ...order, isArchived: true };
    },

    async softDelete(tenant, id) {
      const deleted = await knex('orders').where({ tenant_id: tenant, id }).del(); // exposed-by: soft-delete
      return deleted > 0;
    },

    summary: (tenant, limit) => summarize(knex, tenant, limit),
  };
}
