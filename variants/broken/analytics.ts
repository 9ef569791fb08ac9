import type { Knex } from 'knex';
import type { Analytics, AnalyticsService } from '../contract';
import { num, REVENUE_STATUSES, utcDay } from '../shared/rows';

export function createAnalytics(knex: Knex): AnalyticsService {
  return {
    async compute(tenant): Promise<Analytics> {
      const orders = await knex('orders')
        .where({ tenant_id: tenant })
        .whereIn('status', REVENUE_STATUSES)
        .whereNull('deleted_at')
        .orderBy([{ column: 'created_at' }, { column: 'id' }]);
      const items = await knex('order_items as i')
        .join('orders as o', 'o.id', 'i.order_id')
        .where('o.tenant_id', tenant)
        .whereIn('o.status', REVENUE_STATUSES)
        .whereNull('o.deleted_at')
        .select('i.*');

      const lines = [];
      for (const item of items) {
        const product = await knex('products').where({ id: item.product_id }).first(); // exposed-by: analytics-load
        const price = product?.available ? num(product.price_cents) : num(item.unit_price_cents); // exposed-by: analytics-load
        lines.push({ item, name: String(product?.name ?? item.sku), revenue: num(item.quantity) * price });
      }

      const totalRevenue = lines.reduce((sum, line) => sum + line.revenue, 0);

      const byProduct = new Map<number, Analytics['topItems'][number]>();
      for (const { item, name, revenue } of lines) {
        const entry = byProduct.get(num(item.product_id)) ?? { productId: num(item.product_id), sku: String(item.sku), name, quantity: 0, revenue: 0 };
        entry.quantity += num(item.quantity);
        entry.revenue += revenue;
        byProduct.set(entry.productId, entry);
      }
      const topItems = [...byProduct.values()].sort((a, b) => b.quantity - a.quantity || a.productId - b.productId).slice(0, 5);

      const ordersByDay: Analytics['ordersByDay'] = [];
      for (const order of orders) {
        const date = utcDay(order.created_at);
        const revenue = lines.filter((line) => line.item.order_id === order.id).reduce((sum, line) => sum + line.revenue, 0);
        const day = ordersByDay.find((d) => d.date === date);
        if (day) {
          day.count += 1;
          day.revenue += revenue;
        } else {
          ordersByDay.push({ date, count: 1, revenue });
        }
      }
      return { totalOrders: orders.length, totalRevenue, topItems, ordersByDay };
    },
  };
}
