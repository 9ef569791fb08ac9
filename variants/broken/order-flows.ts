import type { Knex } from 'knex';
import { ConflictError, NotFoundError, OutOfStockError, type OrderFlows } from '../contract';
import { lineTotal, toItem, toOrder } from '../shared/rows';
import { createInventory } from './inventory';
import { createNotifications } from './notifications';
import { findOrder, saveOrder } from './orders';

export function createOrderFlows(knex: Knex): OrderFlows {
  const inventory = createInventory(knex);
  const notifications = createNotifications(knex);

  return {
    async place(tenant, input) {
      const customer = await knex('customers').where({ tenant_id: tenant, id: input.customerId }).first();
      if (!customer) throw new NotFoundError(`customer ${input.customerId} not found`);
      const lines = [];
      for (const item of input.items) {
        const product = await knex('products').where({ tenant_id: tenant, id: item.productId }).first();
        if (!product) throw new NotFoundError(`product ${item.productId} not found`);
        if (!product.available) throw new ConflictError(`product ${product.sku} is not available`);
        if (!(await inventory.isAvailable(product.id, item.quantity))) {
          throw new OutOfStockError(`insufficient stock for ${product.sku}`);
        }
        lines.push({ productId: Number(product.id), sku: String(product.sku), quantity: item.quantity, unitPriceCents: Number(product.price_cents) });
      }
      for (const line of lines) void inventory.reserve(line.productId, line.quantity).catch(() => false); // exposed-by: concurrent-oversell

      const [row] = await knex('orders')
        .insert({ tenant_id: tenant, customer_id: customer.id, status: input.status ?? 'paid', total_cents: lineTotal(lines) })
        .returning('*');
      const items = await knex('order_items')
        .insert(lines.map((l) => ({ order_id: row.id, product_id: l.productId, sku: l.sku, quantity: l.quantity, unit_price_cents: l.unitPriceCents })))
        .returning('*');
      for (const line of lines) await inventory.commit(line.productId, line.quantity);

      void notifications.sendOrderConfirmation(tenant, row.id).catch(() => undefined); // exposed-by: notification
      return toOrder({ ...row, customer_email: customer.email }, items.map(toItem)); // exposed-by: notification
    },

    async cancel(tenant, id) {
      const order = await findOrder(knex, tenant, id);
      if (!order) return null;
      await saveOrder(knex, order, { status: 'cancelled' });
      return { ...order, status: 'cancelled' };
    },
  };
}
