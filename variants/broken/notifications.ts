import type { Knex } from 'knex';
import { sleep } from '../shared/rows';

/** What the e-mail provider takes to accept a message. */
export const CONFIRMATION_LATENCY_MS = 10;

export function createNotifications(knex: Knex) {
  return {
    async sendOrderConfirmation(orderId: number): Promise<void> {
      await sleep(CONFIRMATION_LATENCY_MS);
      await knex('orders').where({ id: orderId }).update({ notification_sent_at: knex.fn.now() });
    },
  };
}
