// The e-mail provider every variant sends through. It keeps an outbox of what went out, so the
// harness can count confirmations: missing ones, duplicates, and ones for orders that never were.
import type { Knex } from 'knex';
import type { TenantId } from '../contract';
import { sleep } from './rows';

/** What the e-mail provider takes to accept a message. */
export const CONFIRMATION_LATENCY_MS = 10;

export const NOTIFICATION_KINDS = ['order-confirmation'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface MailProvider {
  sendOrderConfirmation(tenant: TenantId, orderId: number): Promise<void>;
}

/**
 * Build it from the service's knex, not from a transaction: an e-mail that went out cannot be
 * rolled back, so its outbox record is written on a connection of its own and survives the
 * rollback of a transaction the caller may have sent it from. (It takes no knex per call for the
 * same reason.)
 */
export function createMailProvider(knex: Knex): MailProvider {
  if (knex.isTransaction) throw new Error('createMailProvider: pass the service knex; a sent e-mail is not part of any transaction');
  return {
    async sendOrderConfirmation(tenant, orderId) {
      await sleep(CONFIRMATION_LATENCY_MS);
      await knex('sent_notifications').insert({ tenant_id: tenant, order_id: orderId, kind: 'order-confirmation' satisfies NotificationKind });
    },
  };
}
