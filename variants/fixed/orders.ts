import type { Knex } from 'knex';
import { ORDER_STATUSES, ValidationError, type Order, type OrderRepository, type TenantId } from '../contract';
import { itemsByOrder, num, toOrder } from '../shared/rows';
import { summarize } from './summary';

/** Orders joined with their customer's email, always inside one shop. */
export function ordersOf(knex: Knex, tenant: TenantId) {
  return knex('orders as o')
    .join('customers as c', 'c.id', 'o.customer_id')
    .where('o.tenant_id', tenant)
    .select('o.*', 'c.email as customer_email');
}

/** Invariant: a read costs the same number of queries however many orders it returns. */
export async function withItems(knex: Knex, rows: Record<string, unknown>[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const items = await knex('order_items').whereIn('order_id', rows.map((row) => num(row.id))).orderBy('id');
  const byOrder = itemsByOrder(items);
  return rows.map((row) => toOrder(row, byOrder.get(num(row.id)) ?? []));
}

export async function findOrder(knex: Knex, tenant: TenantId, id: number): Promise<Order | null> {
  const row = await ordersOf(knex, tenant).where('o.id', id).first();
  return row ? ((await withItems(knex, [row]))[0] ?? null) : null;
}

export function createOrderRepository(knex: Knex): OrderRepository {
  return {
    async list(tenant, { page, pageSize, status, email }) {
      if (status !== undefined && !(ORDER_STATUSES as readonly string[]).includes(status)) {
        throw new ValidationError(`status must be one of: ${ORDER_STATUSES.join(', ')}`);
      }
      const visible = ordersOf(knex, tenant).where('o.is_archived', false).whereNull('o.deleted_at');
      if (status) visible.where('o.status', status);
      // strpos matches the text literally: a % or _ typed by the client is not a wildcard.
      if (email) visible.whereRaw('strpos(lower(c.email), lower(?)) > 0', [email]);

      const [counted] = await visible.clone().clearSelect().count({ n: '*' });
      const rows = await visible
        .orderBy([{ column: 'o.created_at', order: 'desc' }, { column: 'o.id', order: 'desc' }])
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { count: num(counted?.n), page, pageSize, results: await withItems(knex, rows) };
    },

    get: (tenant, id) => findOrder(knex, tenant, id),

    async archive(tenant, id) {
      const updated = await knex('orders')
        .where({ tenant_id: tenant, id })
        .update({ is_archived: true, updated_at: knex.fn.now() });
      return updated ? findOrder(knex, tenant, id) : null;
    },

    async softDelete(tenant, id) {
      const updated = await knex('orders')
        .where({ tenant_id: tenant, id })
        .update({ deleted_at: knex.raw('coalesce(deleted_at, now())'), updated_at: knex.fn.now() });
      return updated > 0;
    },

    summary: (tenant, limit) => summarize(knex, tenant, limit),
  };
}
