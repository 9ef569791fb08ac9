// Data a test acts on, created over HTTP in a shop of its own.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { parseServerTiming } from '../../harness/queries';

let counter = 0;

export interface Shop {
  id: string;
  request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Body of a request that must succeed (2xx); anything else throws with the response. */
  ok<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T>;
  customer(overrides?: { name?: string; email?: string; isActive?: boolean }): Promise<{ id: number; email: string }>;
  product(overrides?: { sku?: string; priceCents?: number; stock?: number | null; available?: boolean }): Promise<{ id: number; sku: string; priceCents: number; stock: number | null }>;
  order(customerId: number, items: { productId: number; quantity: number }[], status?: 'draft' | 'paid'): Promise<any>;
}

export function queriesOf(response: LightMyRequestResponse): number {
  const stats = parseServerTiming(response.headers['server-timing'] as string | undefined);
  if (!stats) throw new Error('response has no Server-Timing header');
  return stats.queries;
}

export async function makeShop(app: FastifyInstance, label = 'shop'): Promise<Shop> {
  counter += 1;
  const id = `${label}-${process.pid}-${counter}-${Math.floor(Math.random() * 1e6)}`.toLowerCase().slice(0, 64);
  const created = await app.inject({ method: 'POST', url: '/tenants', payload: { id, name: `Test ${label}` } });
  if (created.statusCode !== 201) throw new Error(`could not create tenant: ${created.statusCode} ${created.body}`);
  let n = 0;
  const shop: Shop = {
    id,
    request: (method, url, body) =>
      app.inject({ method, url, headers: { 'x-tenant-id': id }, ...(body === undefined ? {} : { payload: body as object }) }),
    async ok<T>(method: string, url: string, body?: unknown): Promise<T> {
      const response = await shop.request(method as "GET", url, body);
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
      }
      return (response.body ? response.json() : undefined) as T;
    },
    customer: (o = {}) => shop.ok('POST', '/api/customers', { name: o.name ?? `Customer ${++n}`, email: o.email ?? `c${++n}-${id}@example.com`, ...(o.isActive === undefined ? {} : { isActive: o.isActive }) }),
    product: (o = {}) => shop.ok('POST', '/api/products', { sku: o.sku ?? `SKU-${++n}`, name: `Product ${n}`, priceCents: o.priceCents ?? 1000, stock: o.stock === undefined ? null : o.stock, ...(o.available === undefined ? {} : { available: o.available }) }),
    order: (customerId, items, status) => shop.ok('POST', '/api/orders', { customerId, items, ...(status ? { status } : {}) }),
  };
  return shop;
}

/** Status, body and query count (Server-Timing) of one request. */
export async function measure(shop: Shop, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: any; queries: number }> {
  const response = await shop.request(method, url, body);
  return { status: response.statusCode, body: response.body ? response.json() : undefined, queries: queriesOf(response) };
}

/** One cheap request, so the shop's tenant lookup is cached before a query count is read. */
export async function warmUp(shop: Shop): Promise<void> {
  await shop.ok('GET', '/api/ping');
}

/** Every row of a paginated list, page by page (pageSize 100). `query` is appended as-is. */
export async function listAll<T = any>(shop: Shop, path: string, query = ''): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page += 1) {
    const body = await shop.ok<{ count: number; results: T[] }>('GET', `${path}?page=${page}&pageSize=100${query ? `&${query}` : ''}`);
    rows.push(...body.results);
    if (body.results.length === 0 || rows.length >= body.count) return rows;
  }
}

/** The order's total as the price paid: sum of its lines at their snapshotted unit price. */
export function linesTotal(items: { quantity: number; unitPriceCents: number }[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
}

/**
 * GET /api/orders/:id once its confirmation is recorded (broken sends it a moment after
 * answering), so a snapshot taken for a later deep-equal does not race the late update.
 */
export async function settledOrder(shop: Shop, id: number, timeoutMs = 2_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const order = await shop.ok('GET', `/api/orders/${id}`);
    if (order.notificationSentAt !== null || Date.now() > until) return order;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
