// Every row the service can write, for "nothing changed" checks that do not trust the API.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

const TABLES = ['tenants', 'customers', 'products', 'orders', 'order_items'] as const;

/** A digest of every row of every table, in id order (timestamps as ISO text on both engines). */
export async function tableChecksum(knex: Knex): Promise<string> {
  const hash = createHash('sha256');
  for (const table of TABLES) {
    const rows = await knex(table).select('*').orderBy('id');
    hash.update(`${table}\n`);
    for (const row of rows) {
      hash.update(JSON.stringify(row, (_key, value) => (value instanceof Date ? value.toISOString() : value)));
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}
