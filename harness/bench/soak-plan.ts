// What the soak sends: the shop it loads, the stock each product gets, and the weighted mix of
// reads and writes (harness/load-mix.ts). Pure: the same dataset and settings give the same plan.
import type { Dataset, DatasetSpec } from '../db/bulk-load';
import type { MixShape } from '../load-mix';
import { ORDER_LIMITS, ORDER_STATUSES } from '../../variants/contract';
import { randomSource } from '../../variants/shared/random';

export const SOAK_TENANT = 'soak';

export const SOAK_DATASET: DatasetSpec = { tenant: SOAK_TENANT, customers: 100, ordersPerCustomer: 5, itemsPerOrder: 3, products: 20, stock: null, seed: 1 };

/** Share of the requests by shape; placing an order is the one write that takes stock. */
export const SOAK_WEIGHTS = {
  'orders: list by status': 8,
  'orders: list by email': 6,
  'orders: one': 12,
  'orders: summary': 8,
  analytics: 6,
  'customers: orders of one': 10,
  'products: list': 8,
  'products: one': 6,
  'orders: place': 24,
  'orders: cancel a placed one': 6,
  'orders: archive a placed one': 4,
  'orders: delete a placed one': 2,
} as const;

export type ShapeName = keyof typeof SOAK_WEIGHTS;

/** Order lines and quantities drawn uniformly from 1..3: four units per order on average. */
const MAX_LINES = 3;
const MAX_QUANTITY = 3;
const UNITS_PER_ORDER = ((1 + MAX_LINES) / 2) * ((1 + MAX_QUANTITY) / 2);
/** Distinct bodies to draw from: enough that orders differ, few enough to send in one message. */
const PLACE_BODIES = 500;

export type StockTier = 'scarce' | 'limited' | 'ample' | 'unlimited';

/** Sells out within seconds: the out-of-stock path (409) runs for most of the soak. */
const SCARCE_STOCK = 20;
/** Never sells out, however fast the soak runs. */
const AMPLE_STOCK = 1_000_000;

/**
 * Stock for a product of the limited tier, sized to sell out around the middle of the run at the
 * requested rate. A rough estimate, on purpose: once the scarce products are gone about half the
 * orders fail as a whole (one line out of stock), so each product sells about half as fast.
 */
export function limitedStock(rate: number, seconds: number, products: number): number {
  const ordersPerSecond = (rate * SOAK_WEIGHTS['orders: place']) / totalWeight();
  const unitsPerProductPerSecond = (ordersPerSecond * UNITS_PER_ORDER) / products / 2;
  return Math.max(SCARCE_STOCK + 1, Math.round((unitsPerProductPerSecond * seconds) / 2));
}

function totalWeight(): number {
  return Object.values(SOAK_WEIGHTS).reduce((sum, weight) => sum + weight, 0);
}

/** The products in four tiers of equal size, in id order: scarce, limited, ample, unlimited. */
export function stockTiers(productIds: number[], rate: number, seconds: number): { productId: number; tier: StockTier; stock: number | null }[] {
  const tiers: StockTier[] = ['scarce', 'limited', 'ample', 'unlimited'];
  const stockOf: Record<StockTier, number | null> = {
    scarce: SCARCE_STOCK,
    limited: limitedStock(rate, seconds, productIds.length),
    ample: AMPLE_STOCK,
    unlimited: null,
  };
  return productIds.map((productId, i) => {
    const tier = tiers[Math.floor((i * tiers.length) / productIds.length)]!;
    return { productId, tier, stock: stockOf[tier] };
  });
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Valid order bodies (route schema and ORDER_LIMITS): distinct products, a few units each. */
export function placeBodies(customerIds: number[], productIds: number[], seed: number, count = PLACE_BODIES) {
  const random = randomSource(seed);
  const upTo = (n: number) => 1 + Math.floor(random() * n);
  return Array.from({ length: count }, () => {
    const lines = Math.min(upTo(MAX_LINES), productIds.length, ORDER_LIMITS.maxLines);
    const products = shuffled(productIds, random).slice(0, lines);
    return {
      customerId: customerIds[Math.floor(random() * customerIds.length)]!,
      // Drafts take stock too (variants/fixed/order-flows.ts): both kinds count as sold.
      status: random() < 0.8 ? 'paid' : 'draft',
      items: products.map((productId) => ({ productId, quantity: Math.min(upTo(MAX_QUANTITY), ORDER_LIMITS.maxQuantity) })),
    };
  });
}

/**
 * The mix. Reads by id use rows loaded before the soak that it never deletes, so they never 404;
 * cancel, archive and delete act on orders the soak placed itself, so none of them is shipped (409).
 * Every 4xx the mix can cause is a 409 for stock that ran out.
 */
export function soakShapes(dataset: Dataset, seed: number): MixShape[] {
  const customerIds = dataset.customers.map((c) => c.id);
  const productIds = dataset.products.map((p) => p.id);
  const shape = (name: ShapeName, rest: Omit<MixShape, 'name' | 'weight'>): MixShape => ({ name, weight: SOAK_WEIGHTS[name], ...rest });
  const emails = dataset.customers.slice(0, 10).map((c) => c.email.split('@')[0]!);
  return [
    shape('orders: list by status', { method: 'GET', paths: ORDER_STATUSES.flatMap((s) => [`/api/orders?status=${s}&pageSize=20`, `/api/orders?status=${s}&page=2&pageSize=20`]) }),
    shape('orders: list by email', { method: 'GET', paths: emails.map((e) => `/api/orders?email=${encodeURIComponent(e)}&pageSize=20`) }),
    shape('orders: one', { method: 'GET', paths: dataset.orders.map((o) => `/api/orders/${o.id}`) }),
    shape('orders: summary', { method: 'GET', paths: ['/api/orders/summary?limit=50'] }),
    shape('analytics', { method: 'GET', paths: ['/api/analytics'] }),
    shape('customers: orders of one', { method: 'GET', paths: customerIds.map((id) => `/api/customers/${id}/orders`) }),
    shape('products: list', { method: 'GET', paths: ['/api/products?page=1&pageSize=20'] }),
    shape('products: one', { method: 'GET', paths: productIds.map((id) => `/api/products/${id}`) }),
    shape('orders: place', { method: 'POST', paths: ['/api/orders'], bodies: placeBodies(customerIds, productIds, seed), fillsPool: 'placed' }),
    shape('orders: cancel a placed one', { method: 'POST', paths: ['/api/orders/:id/cancel'], fromPool: 'placed' }),
    shape('orders: archive a placed one', { method: 'POST', paths: ['/api/orders/:id/archive'], fromPool: 'placed' }),
    shape('orders: delete a placed one', { method: 'DELETE', paths: ['/api/orders/:id'], fromPool: 'placed', consumesId: true }),
  ];
}
