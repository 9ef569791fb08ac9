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
    async ok(method, url, body) {
      const response = await shop.request(method, url, body);
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
      }
      return response.body ? response.json() : undefined;
    },
    customer: (o = {}) => shop.ok('POST', '/api/customers', { name: o.name ?? `Customer ${++n}`, email: o.email ?? `c${++n}-${id}@example.com`, ...(o.isActive === undefined ? {} : { isActive: o.isActive }) }),
    product: (o = {}) => shop.ok('POST', '/api/products', { sku: o.sku ?? `SKU-${++n}`, name: `Product ${n}`, priceCents: o.priceCents ?? 1000, stock: o.stock === undefined ? null : o.stock, ...(o.available === undefined ? {} : { available: o.available }) }),
    order: (customerId, items, status) => shop.ok('POST', '/api/orders', { customerId, items, ...(status ? { status } : {}) }),
  };
  return shop;
}
