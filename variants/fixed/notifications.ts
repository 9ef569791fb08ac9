import type { Knex } from 'knex';
import type { TenantId } from '../contract';
import { createMailProvider } from '../shared/mail';

/**
 * Sends the order confirmation at most once per order: only the caller whose conditional
 * update marks the order sends, so a retried request cannot confirm twice.
 */
export function createNotifications(knex: Knex) {
  const mail = createMailProvider(knex);
  return {
    async sendOrderConfirmation(tenant: TenantId, orderId: number): Promise<void> {
      const claimed = await knex('orders')
        .where({ tenant_id: tenant, id: orderId })
        .whereNull('notification_sent_at')
        .update({ notification_sent_at: knex.fn.now() });
      if (claimed) await mail.sendOrderConfirmation(tenant, orderId);
    },
  };
}
