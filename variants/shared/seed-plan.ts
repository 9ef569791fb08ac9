// What POST /api/dev/seed creates, decided before anything is written, so every variant writes
// exactly the same data for the same seed and differ only in how they write it.
import type { Knex } from 'knex';
import type { SeedRequest, TenantId } from '../contract';
import { randomSource } from './random';
import { num } from './rows';

export const SEED_PRICES_CENTS = [199, 499, 999, 1499, 2499];
export const SEED_SKU_COUNT = 200;
/** The original lab's weights; seeding never creates cancelled orders. */
export const SEED_STATUS_WEIGHTS = [
  ['paid', 0.55],
  ['draft', 0.35],
  ['shipped', 0.1],
] as const;

export interface SeedPlan {
  products: { sku: string; name: string; priceCents: number }[];
  customers: {
    name: string;
    email: string;
    orders: { status: string; ageMinutes: number; items: { sku: string; quantity: number }[] }[];
  }[];
}

export function planSeed(request: SeedRequest, firstCustomerNumber: number): SeedPlan {
  const random = randomSource(request.seed ?? Math.floor(Math.random() * 2 ** 32));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const status = () => {
    let r = random();
    for (const [name, weight] of SEED_STATUS_WEIGHTS) {
      if ((r -= weight) < 0) return name;
    }
    return 'paid';
  };
  const products = Array.from({ length: SEED_SKU_COUNT }, (_, i) => ({
    sku: `SKU-${i + 1}`,
    name: `Product ${i + 1}`,
    priceCents: pick(SEED_PRICES_CENTS),
  }));
  const customers = Array.from({ length: request.customers }, (_, c) => {
    const n = firstCustomerNumber + c;
    return {
      name: `User ${n}`,
      email: `user${n}@example.com`,
      orders: Array.from({ length: request.ordersPerCustomer }, () => ({
        status: status(),
        // Spread over the last 30 days so analytics has days to group by.
        ageMinutes: Math.floor(random() * 30 * 24 * 60),
        items: Array.from({ length: request.itemsPerOrder }, () => ({
          sku: `SKU-${1 + Math.floor(random() * SEED_SKU_COUNT)}`,
          quantity: 1 + Math.floor(random() * 5),
        })),
      })),
    };
  });
  return { products, customers };
}

/** Emails are numbered from the highest existing customer id, as in the original lab. */
export async function firstCustomerNumber(knex: Knex, tenant: TenantId): Promise<number> {
  const [row] = await knex('customers').where({ tenant_id: tenant }).max({ top: 'id' });
  return num(row?.top) + 1;
}

/** Creates the plan's products that the shop lacks; returns id and current price per sku. */
export async function ensureProducts(
  knex: Knex,
  tenant: TenantId,
  products: SeedPlan['products'],
): Promise<Map<string, { id: number; priceCents: number }>> {
  const existing = await knex('products').where({ tenant_id: tenant }).whereIn('sku', products.map((p) => p.sku));
  const have = new Set(existing.map((row) => String(row.sku)));
  const missing = products.filter((p) => !have.has(p.sku));
  const created = missing.length
    ? await knex('products')
        .insert(missing.map((p) => ({ tenant_id: tenant, sku: p.sku, name: p.name, price_cents: p.priceCents, stock: null })))
        .returning('*')
    : [];
  return new Map(
    [...existing, ...created].map((row) => [String(row.sku), { id: num(row.id), priceCents: num(row.price_cents) }]),
  );
}

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
