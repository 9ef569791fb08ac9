import type { Knex } from 'knex';
import { sleep } from '../shared/rows';

/** What the e-mail provider takes to accept a message. */
export const CONFIRMATION_LATENCY_MS = 10;

/**
 * Sends the order confirmation at most once per order: only the caller whose conditional
 * update marks the order sends, so a retried request cannot confirm twice.
 */
export function createNotifications(knex: Knex) {
  return {
    async sendOrderConfirmation(orderId: number): Promise<void> {
      const claimed = await knex('orders')
        .where({ id: orderId })
        .whereNull('notification_sent_at')
        .update({ notification_sent_at: knex.fn.now() });
      if (claimed) await sleep(CONFIRMATION_LATENCY_MS);
    },
  };
}
