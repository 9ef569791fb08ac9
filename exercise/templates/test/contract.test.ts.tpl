// The HTTP contract the rest of the platform relies on: what every request answers when the
// implementation behaves. These pass from the start; keep them passing.
import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../service/app';
import { openPgMem, type Database } from '../harness/db/backends';
import { createQueryMeter } from '../harness/queries';
import { loadVariant } from '../variants/load';

describe('HTTP contract (pg-mem, variants/app)', () => {
  let db: Database;
  let app: FastifyInstance;
  let shops = 0;

  before(async () => {
    db = await openPgMem();
    app = buildApp({ variant: loadVariant('app'), knex: db.knex, meter: createQueryMeter(db.knex), dev: true, variantName: 'app', backendName: 'pg-mem' });
    await app.ready();
  });

  after(async () => {
    // Let work that outlives a request finish before the database closes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await app.close();
    await db.close();
  });

  /** A fresh shop, and a request helper scoped to it. */
  async function shop() {
    const id = `shop-${++shops}`;
    const created = await app.inject({ method: 'POST', url: '/tenants', payload: { id, name: `Shop ${id}` } });
    expect(created.statusCode).to.equal(201);
    const request = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, headers: { 'x-tenant-id': id }, ...(payload ? { payload } : {}) });
    return { id, request };
  }

  it('loads the implementation with every repository the service needs', () => {
    const repositories = loadVariant('app')(db.knex);
    expect(repositories).to.include.all.keys('tenants', 'customers', 'products', 'orders', 'orderFlows', 'analytics', 'dev', 'health');
  });

  it('answers GET /health', async () => {
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).to.equal(200);
    expect(response.json()).to.include({ status: 'ok' });
  });

  it('requires X-Tenant-ID on /api, and a shop that exists', async () => {
    expect((await app.inject({ url: '/api/customers' })).statusCode).to.equal(400);
    expect((await app.inject({ url: '/api/customers', headers: { 'x-tenant-id': 'no-such-shop' } })).statusCode).to.equal(404);
  });

  it('creates a customer, reads it back, and refuses a duplicate email', async () => {
    const { request } = await shop();
    const created = await request('POST', '/api/customers', { name: 'Ada', email: 'Ada@Example.com' });
    expect(created.statusCode).to.equal(201);
    expect(created.json()).to.include({ name: 'Ada', email: 'ada@example.com', isActive: true });
    const read = await request('GET', `/api/customers/${created.json().id}`);
    expect(read.json()).to.deep.equal(created.json());
    expect((await request('POST', '/api/customers', { name: 'Ada again', email: 'ada@example.com' })).statusCode).to.equal(409);
    expect((await request('GET', '/api/customers/999999')).statusCode).to.equal(404);
  });

  it('creates a product and changes its price', async () => {
    const { request } = await shop();
    const product = (await request('POST', '/api/products', { sku: 'MUG', name: 'Mug', priceCents: 1200, stock: 10 })).json();
    const changed = await request('PATCH', `/api/products/${product.id}`, { priceCents: 1500 });
    expect(changed.statusCode).to.equal(200);
    expect(changed.json()).to.include({ id: product.id, priceCents: 1500, stock: 10 });
  });

  it('places an order at the current price and reads it back', async () => {
    const { request } = await shop();
    const customer = (await request('POST', '/api/customers', { name: 'Grace', email: 'grace@example.com' })).json();
    const mug = (await request('POST', '/api/products', { sku: 'MUG', name: 'Mug', priceCents: 1200 })).json();
    const tea = (await request('POST', '/api/products', { sku: 'TEA', name: 'Tea', priceCents: 450 })).json();
    const placed = await request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: mug.id, quantity: 2 }, { productId: tea.id, quantity: 1 }] });
    expect(placed.statusCode).to.equal(201);
    const order = placed.json();
    expect(order).to.include({ customerId: customer.id, customerEmail: 'grace@example.com', status: 'paid', totalCents: 2 * 1200 + 450, isArchived: false, deletedAt: null });
    expect(order.items.map((i: { sku: string; quantity: number; unitPriceCents: number }) => [i.sku, i.quantity, i.unitPriceCents])).to.have.deep.members([
      ['MUG', 2, 1200],
      ['TEA', 1, 450],
    ]);
    const read = await request('GET', `/api/orders/${order.id}`);
    expect(read.statusCode).to.equal(200);
    expect(read.json()).to.include({ id: order.id, totalCents: order.totalCents, status: 'paid' });
  });

  it('refuses orders that are malformed or name what does not exist', async () => {
    const { request } = await shop();
    const customer = (await request('POST', '/api/customers', { name: 'Alan', email: 'alan@example.com' })).json();
    const mug = (await request('POST', '/api/products', { sku: 'MUG', name: 'Mug', priceCents: 1200 })).json();
    expect((await request('POST', '/api/orders', { customerId: customer.id, items: [] })).statusCode).to.equal(400);
    expect((await request('POST', '/api/orders', { customerId: 999999, items: [{ productId: mug.id, quantity: 1 }] })).statusCode).to.equal(404);
    expect((await request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: 999999, quantity: 1 }] })).statusCode).to.equal(404);
  });

  it('answers lists as pages, and the summary and analytics in their shapes', async () => {
    const { request } = await shop();
    const orders = await request('GET', '/api/orders');
    expect(orders.statusCode).to.equal(200);
    expect(orders.json()).to.deep.equal({ count: 0, page: 1, pageSize: 20, results: [] });
    const summary = await request('GET', '/api/orders/summary');
    expect(summary.json()).to.deep.equal({ limit: 50, rows: [] });
    expect((await request('GET', '/api/orders/summary?limit=0')).statusCode).to.equal(400);
    const analytics = await request('GET', '/api/analytics');
    expect(analytics.statusCode).to.equal(200);
    expect(analytics.json()).to.include.all.keys('totalOrders', 'totalRevenue', 'topItems', 'ordersByDay');
  });

  it('reports its query count in Server-Timing', async () => {
    const { request } = await shop();
    const response = await request('GET', '/api/customers');
    expect(String(response.headers['server-timing'])).to.match(/queries/);
  });
});
