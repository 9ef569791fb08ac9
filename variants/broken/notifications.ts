import type { Knex } from 'knex';
import type { TenantId } from '../contract';
import { createMailProvider } from '../shared/mail';

export function createNotifications(knex: Knex) {
  const mail = createMailProvider(knex);
  return {
    async sendOrderConfirmation(tenant: TenantId, orderId: number): Promise<void> {
      await mail.sendOrderConfirmation(tenant, orderId);
      await knex('orders').where({ id: orderId }).update({ notification_sent_at: knex.fn.now() });
    },
  };
}
