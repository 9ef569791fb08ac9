import type { Knex } from 'knex';
import { sleep } from '../shared/rows';

/** What the reservation call to the stock service takes. */
export const RESERVATION_LATENCY_MS = 5;

export function createInventory(knex: Knex) {
  const stockCache = new Map<number, number | null>(); // exposed-by: concurrent-oversell

  async function readStock(productId: number): Promise<number | null> {
    const row = await knex('products').where({ id: productId }).first('stock');
    return row ? row.stock : null;
  }

  return {
    async isAvailable(productId: number, quantity: number): Promise<boolean> {
      if (!stockCache.has(productId)) stockCache.set(productId, await readStock(productId));
      const stock = stockCache.get(productId) ?? null;
      return stock === null || stock >= quantity; // exposed-by: concurrent-oversell
    },

    async reserve(productId: number, quantity: number): Promise<boolean> {
      await sleep(RESERVATION_LATENCY_MS);
      const stock = await readStock(productId);
      return stock === null || stock >= quantity;
    },

    async commit(productId: number, quantity: number): Promise<void> {
      const stock = await readStock(productId);
      if (stock !== null) await knex('products').where({ id: productId }).update({ stock: stock - quantity }); // exposed-by: concurrent-oversell
    },
  };
}
