import type { Knex } from 'knex';
import type { DevTools } from '../contract';
import { num, toItem } from '../shared/rows';
import { ensureProducts, firstCustomerNumber, minutesAgo, planSeed } from '../shared/seed-plan';
import { findOrder, saveOrder } from './orders';

export function createDevTools(knex: Knex): DevTools {
  return {
    async seed(tenant, request) {
      const plan = planSeed(request, await firstCustomerNumber(knex, tenant));
      const products = await ensureProducts(knex, tenant, plan.products);
      let orders = 0;
      let items = 0;
      for (const customer of plan.customers) {
        const [{ id: customerId }] = await knex('customers').insert({ tenant_id: tenant, name: customer.name, email: customer.email }).returning('id');
        for (const planned of customer.orders) {
          const [{ id: orderId }] = await knex('orders')
            .insert({ tenant_id: tenant, customer_id: customerId, status: planned.status, created_at: minutesAgo(planned.ageMinutes), updated_at: minutesAgo(planned.ageMinutes) })
            .returning('id');
          orders += 1;
          for (const item of planned.items) {
            const product = products.get(item.sku)!;
            // exposed-by: seed-bulk
            await knex('order_items').insert({ order_id: orderId, product_id: product.id, sku: item.sku, quantity: item.quantity, unit_price_cents: product.priceCents });
            const all = (await knex('order_items').where({ order_id: orderId })).map(toItem);
            const order = (await findOrder(knex, tenant, orderId))!;
            await saveOrder(knex, order, { total_cents: all.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0) });
            items += 1;
          }
        }
      }
      return { customers: plan.customers.length, orders, items, products: num(products.size) };
    },
  };
}
