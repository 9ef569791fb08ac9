import type { Knex } from 'knex';
import type { SummaryRow, TenantId } from '../contract';
import { num } from '../shared/rows';

/**
 * The original meaning, kept exactly: among the `limit` newest active customers, each one's paid,
 * non-archived orders and the sum of their item lines (zero-spend customers included), ranked by
 * spend, ties in newest-first order. One query instead of 1 + customers + orders.
 * (Joins are written orders -> items -> recent: PostgreSQL reorders joins itself, pg-mem runs them
 * in the order written, and joining the small `recent` set first is much slower there.)
 */
export async function summarize(knex: Knex, tenant: TenantId, limit: number): Promise<SummaryRow[]> {
  const { rows } = await knex.raw(
    `with recent as (
       select id, email, created_at from customers
       where tenant_id = ? and is_active = true
       order by created_at desc, id desc
       limit ?::int
     ),
     paid_orders as (
       select o.id, o.customer_id, coalesce(sum(i.quantity * i.unit_price_cents), 0) as spent
       from orders o
       left join order_items i on i.order_id = o.id
       join recent r on r.id = o.customer_id
       where o.tenant_id = ? and o.status = 'paid' and o.is_archived = false and o.deleted_at is null
       group by o.id, o.customer_id
     )
     select r.id as customer_id, r.email, count(p.id) as order_count, coalesce(sum(p.spent), 0) as total_cents
     from recent r
     left join paid_orders p on p.customer_id = r.id
     group by r.id, r.email, r.created_at
     order by total_cents desc, r.created_at desc, r.id desc`,
    [tenant, limit, tenant],
  );
  return rows.map((row: Record<string, unknown>) => ({
    customerId: num(row.customer_id),
    email: String(row.email),
    orderCount: num(row.order_count),
    totalCents: num(row.total_cents),
  }));
}
