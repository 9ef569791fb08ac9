import type { Knex } from 'knex';
import type { Analytics, AnalyticsService } from '../contract';
import { num, REVENUE_STATUSES, utcDay } from '../shared/rows';

/**
 * Revenue is what customers paid: item lines at their snapshotted price (summed into the order's
 * total when it was placed), never the product's current price. Three queries whatever the data size.
 */
export function createAnalytics(knex: Knex): AnalyticsService {
  return {
    async compute(tenant): Promise<Analytics> {
      const counted = (alias: string) => (q: Knex.QueryBuilder) =>
        q.where(`${alias}.tenant_id`, tenant).whereIn(`${alias}.status`, REVENUE_STATUSES).whereNull(`${alias}.deleted_at`);

      // Sessions run in UTC (harness/db/backends.ts), so ::date is the UTC day.
      const days: Record<string, unknown>[] = await knex('orders as o')
        .modify(counted('o'))
        .select(knex.raw('min(o.created_at) as first_at'))
        .count({ count: '*' })
        .sum({ revenue: 'o.total_cents' })
        .groupByRaw('o.created_at::date')
        .orderByRaw('min(o.created_at)');

      const top: Record<string, unknown>[] = await knex('order_items as i')
        .join('orders as o', 'o.id', 'i.order_id')
        .modify(counted('o'))
        .select('i.product_id', 'i.sku')
        .sum({ quantity: 'i.quantity' })
        .select(knex.raw('sum(i.quantity * i.unit_price_cents) as revenue'))
        .groupBy('i.product_id', 'i.sku')
        .orderBy([{ column: 'quantity', order: 'desc' }, { column: 'i.product_id', order: 'asc' }])
        .limit(5);

      const names = new Map<number, string>(
        top.length
          ? (await knex('products').whereIn('id', top.map((row) => num(row.product_id))).select('id', 'name')).map(
              (row) => [num(row.id), String(row.name)],
            )
          : [],
      );

      const ordersByDay = days.map((row) => ({
        date: utcDay(row.first_at),
        count: num(row.count),
        revenue: num(row.revenue),
      }));
      return {
        totalOrders: ordersByDay.reduce((sum, day) => sum + day.count, 0),
        totalRevenue: ordersByDay.reduce((sum, day) => sum + day.revenue, 0),
        topItems: top.map((row) => ({
          productId: num(row.product_id),
          sku: String(row.sku),
          name: names.get(num(row.product_id)) ?? String(row.sku),
          quantity: num(row.quantity),
          revenue: num(row.revenue),
        })),
        ordersByDay,
      };
    },
  };
}
