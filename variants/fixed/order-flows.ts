import type { Knex } from 'knex';
import { ConflictError, NotFoundError, type OrderFlows } from '../contract';
import { lineTotal } from '../shared/rows';
import { takeStock } from './inventory';
import { createNotifications } from './notifications';
import { findOrder } from './orders';

export function createOrderFlows(knex: Knex): OrderFlows {
  const notifications = createNotifications(knex);

  return {
    /** Invariant: an order exists only with all of its stock taken; on any failure, nothing of it remains. */
    async place(tenant, input) {
      const orderId = await knex.transaction(async (trx) => {
        const customer = await trx('customers').where({ tenant_id: tenant, id: input.customerId }).first('id');
        if (!customer) throw new NotFoundError(`customer ${input.customerId} not found`);
        const lines = await takeStock(trx, tenant, input.items);
        const [order] = await trx('orders')
          .insert({
            tenant_id: tenant,
            customer_id: input.customerId,
            status: input.status ?? 'paid',
            total_cents: lineTotal(lines),
          })
          .returning('id');
        await trx('order_items').insert(
          lines.map((line) => ({
            order_id: order.id,
            product_id: line.productId,
            sku: line.sku,
            quantity: line.quantity,
            unit_price_cents: line.unitPriceCents,
          })),
        );
        return Number(order.id);
      });
      // After the commit: a confirmation must never go out for an order that was rolled back.
      await notifications.sendOrderConfirmation(tenant, orderId);
      return (await findOrder(knex, tenant, orderId))!;
    },

    async cancel(tenant, id) {
      const order = await findOrder(knex, tenant, id);
      if (!order || order.status === 'cancelled') return order;
      if (order.status === 'shipped') throw new ConflictError(`order ${id} has shipped and can no longer be cancelled`);
      await knex('orders').where({ tenant_id: tenant, id }).update({ status: 'cancelled', updated_at: knex.fn.now() });
      return findOrder(knex, tenant, id);
    },
  };
}
