// The HTTP contract for input the service must refuse: every refusal is a 4xx with the one JSON
// error shape {statusCode, error, message}, nothing a client sends yields a 500, and a refused
// request changes nothing.
import { STATUS_CODES } from 'node:http';
import { expect } from 'chai';
import type { LightMyRequestResponse } from 'fastify';
import { ORDER_STATUSES } from '../../variants/contract';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { listAll, makeShop, settledOrder, type Shop } from '../helpers/factories';

const MAX_ID = 2147483647;

function expectError(response: LightMyRequestResponse, statusCode: number, what = ''): Record<string, unknown> {
  expect(response.statusCode, `${what}: ${response.body}`).to.equal(statusCode);
  expect(response.headers['content-type'], what).to.match(/^application\/json/);
  const body = response.json();
  expect(body, what).to.have.all.keys('statusCode', 'error', 'message');
  expect(body.statusCode, what).to.equal(statusCode);
  expect(body.error, what).to.equal(STATUS_CODES[statusCode]);
  expect(body.message, what).to.be.a('string').that.is.not.empty;
  return body;
}

/** Everything a client of the shop can see, for before/after comparisons. */
async function snapshot(shop: Shop) {
  return {
    orders: await listAll(shop, '/api/orders'),
    customers: await listAll(shop, '/api/customers'),
    products: await listAll(shop, '/api/products'),
    summary: await shop.ok('GET', '/api/orders/summary'),
    analytics: await shop.ok('GET', '/api/analytics'),
  };
}

/** A shop with a little of everything, including emails full of characters SQL cares about. */
async function furnishedShop(shop: Shop) {
  const product = await shop.product({ priceCents: 250, stock: 40 });
  const unavailable = await shop.product({ available: false });
  const emails = ["o'neil@quote.test", 'back\\slash@x.test', '100%@percent.test', 'under_score@x.test', 'plain@example.com'];
  const customers = [];
  for (const email of emails) customers.push(await shop.customer({ email }));
  const orders = [];
  for (const customer of customers) orders.push(await shop.order(customer.id, [{ productId: product.id, quantity: 1 }]));
  // Let late confirmations land (broken sends them after answering) before anyone snapshots.
  for (const order of orders) await settledOrder(shop, order.id);
  return { product, unavailable, customer: customers[0]!, customers, orders };
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('bad input', () => {
      const t = useApp(backend, variant);

      it('answers 404 JSON for unknown ids on every route that takes one', async () => {
        const shop = await makeShop(t().app);
        const cases: [Parameters<Shop['request']>[0], string, string, unknown?][] = [
          ['GET', `/api/orders/${MAX_ID}`, 'order'],
          ['POST', `/api/orders/${MAX_ID}/cancel`, 'order'],
          ['POST', `/api/orders/${MAX_ID}/archive`, 'order'],
          ['DELETE', `/api/orders/${MAX_ID}`, 'order'],
          ['GET', `/api/customers/${MAX_ID}`, 'customer'],
          ['GET', `/api/customers/${MAX_ID}/orders`, 'customer'],
          ['GET', `/api/products/${MAX_ID}`, 'product'],
          ['PATCH', `/api/products/${MAX_ID}`, 'product', { priceCents: 1 }],
        ];
        for (const [method, url, what, body] of cases) {
          const error = expectError(await shop.request(method, url, body), 404, `${method} ${url}`);
          expect(error.message).to.equal(`${what} ${MAX_ID} not found`);
        }
        expectError(await shop.request('GET', '/api/no-such-route'), 404, 'unknown route');
        expectError(await t().app.inject({ url: `/tenants/no-such-shop` }), 404, 'unknown tenant by id');
      });

      it('answers 400 for ids that are not positive 32-bit integers', async () => {
        const shop = await makeShop(t().app);
        for (const id of ['0', '-1', 'abc', '1.5', '2147483648', '1e3x', "1'%20OR%201=1"]) {
          expectError(await shop.request('GET', `/api/orders/${id}`), 400, `order ${id}`);
          expectError(await shop.request('GET', `/api/customers/${id}`), 400, `customer ${id}`);
          expectError(await shop.request('POST', `/api/orders/${id}/cancel`), 400, `cancel ${id}`);
          expectError(await shop.request('DELETE', `/api/orders/${id}`), 400, `delete ${id}`);
        }
      });

      it('refuses malformed orders with 400 and changes nothing', async () => {
        const shop = await makeShop(t().app);
        const { product, customer } = await furnishedShop(shop);
        const before = await snapshot(shop);
        const item = { productId: product.id, quantity: 1 };
        const bodies: [string, unknown][] = [
          ['zero quantity', { customerId: customer.id, items: [{ productId: product.id, quantity: 0 }] }],
          ['negative quantity', { customerId: customer.id, items: [{ productId: product.id, quantity: -3 }] }],
          ['fractional quantity', { customerId: customer.id, items: [{ productId: product.id, quantity: 1.5 }] }],
          ['huge quantity', { customerId: customer.id, items: [{ productId: product.id, quantity: 10_001 }] }],
          ['missing quantity', { customerId: customer.id, items: [{ productId: product.id }] }],
          ['missing items', { customerId: customer.id }],
          ['empty items', { customerId: customer.id, items: [] }],
          ['items not a list', { customerId: customer.id, items: item }],
          ['too many items', { customerId: customer.id, items: Array.from({ length: 51 }, () => item) }],
          ['missing customer', { items: [item] }],
          ['customer id 0', { customerId: 0, items: [item] }],
          ['unknown body field', { customerId: customer.id, items: [item], coupon: 'FREE' }],
          ['unknown item field', { customerId: customer.id, items: [{ ...item, unitPriceCents: 1 }] }],
          ['status shipped', { customerId: customer.id, items: [item], status: 'shipped' }],
          ['status cancelled', { customerId: customer.id, items: [item], status: 'cancelled' }],
          ['array body', [item]],
        ];
        for (const [what, body] of bodies) expectError(await shop.request('POST', '/api/orders', body), 400, what);
        const malformed = await t().app.inject({
          method: 'POST',
          url: '/api/orders',
          headers: { 'x-tenant-id': shop.id, 'content-type': 'application/json' },
          payload: '{"customerId": 1, "items": [',
        });
        expectError(malformed, 400, 'malformed JSON');
        expect(await snapshot(shop)).to.deep.equal(before);
      });

      it('refuses orders for unknown customers or products (404) and unavailable products (409), changing nothing', async () => {
        const shop = await makeShop(t().app);
        const { product, unavailable, customer } = await furnishedShop(shop);
        const before = await snapshot(shop);
        const unknownCustomer = expectError(await shop.request('POST', '/api/orders', { customerId: MAX_ID, items: [{ productId: product.id, quantity: 1 }] }), 404, 'unknown customer');
        expect(unknownCustomer.message).to.contain(String(MAX_ID));
        const unknownProduct = expectError(
          await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }, { productId: MAX_ID, quantity: 1 }] }),
          404,
          'unknown product',
        );
        expect(unknownProduct.message).to.contain(String(MAX_ID));
        expectError(await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: unavailable.id, quantity: 1 }] }), 409, 'unavailable product');
        expect(await snapshot(shop)).to.deep.equal(before);
      });

      it('answers 400 for summary limits that are not integers from 1 to 500', async () => {
        const shop = await makeShop(t().app);
        for (const limit of ['0', '-1', 'abc', '1.5', '501', '100000', '']) {
          expectError(await shop.request('GET', `/api/orders/summary?limit=${limit}`), 400, `limit=${limit}`);
        }
        expectError(await shop.request('GET', '/api/orders/summary?top=5'), 400, 'unknown parameter');
        expect((await shop.ok('GET', '/api/orders/summary?limit=500')).limit).to.equal(500);
      });

      it('answers 400 for bad pagination and unknown parameters on every list', async () => {
        const shop = await makeShop(t().app);
        for (const list of ['/api/orders', '/api/customers', '/api/products']) {
          for (const query of ['page=0', 'page=-1', 'page=abc', 'page=1.5', 'pageSize=0', 'pageSize=101', 'pageSize=x', 'sort=id']) {
            expectError(await shop.request('GET', `${list}?${query}`), 400, `${list}?${query}`);
          }
        }
        expectError(await shop.request('GET', '/api/orders?email='), 400, 'empty email filter');
        expectError(await shop.request('GET', `/api/orders?status=${'x'.repeat(65)}`), 400, 'overlong status');
      });

      it(
        variant === 'broken'
          ? 'answers 200 with an empty page for an unknown status filter (the filters bug)'
          : 'answers 400 naming the allowed values for an unknown status filter',
        async () => {
          const shop = await makeShop(t().app);
          await furnishedShop(shop);
          const response = await shop.request('GET', '/api/orders?status=refunded');
          if (variant === 'broken') {
            expect(response.statusCode).to.equal(200);
            expect(response.json()).to.deep.include({ count: 0, results: [] });
          } else {
            const error = expectError(response, 400, 'unknown status');
            for (const status of ORDER_STATUSES) expect(error.message).to.contain(status);
          }
        },
      );

      it('never answers 500 to SQL-like email filters, and they change nothing', async () => {
        const shop = await makeShop(t().app);
        const { customers } = await furnishedShop(shop);
        const before = await snapshot(shop);
        const needles = ["' OR 1=1 --", "'; DROP TABLE orders; --", '%', '_', '\\', '%%', "'", '"', '\\%', 'a%_\\', '$1', '?'];
        for (const needle of needles) {
          const response = await shop.request('GET', `/api/orders?email=${encodeURIComponent(needle)}`);
          expect(response.statusCode, JSON.stringify(needle)).to.be.below(500);
          if (response.statusCode !== 200) {
            expectError(response, response.statusCode, JSON.stringify(needle));
          } else if (variant === 'fixed') {
            // The fix matches the text literally, so the oracle is a plain substring test.
            const expected = customers.filter((c) => c.email.toLowerCase().includes(needle.toLowerCase())).map((c) => c.email).sort();
            const got = response.json().results.map((o: { customerEmail: string }) => o.customerEmail).sort();
            expect(got, JSON.stringify(needle)).to.deep.equal(expected);
          }
        }
        expect(await snapshot(shop)).to.deep.equal(before);
      });

      // PostgreSQL cannot store U+0000 in text (error 22021); pg-mem can. Unless the schemas refuse
      // it, the driver's error surfaces as a 500.
      it('never answers 500 to a NUL character in a filter or a text field', async () => {
        const shop = await makeShop(t().app);
        const attempts: [string, () => Promise<LightMyRequestResponse>][] = [
          ['email filter', () => shop.request('GET', '/api/orders?email=%00')],
          ['customer name', () => shop.request('POST', '/api/customers', { name: 'a\u0000b', email: 'nul@x.test' })],
          ['customer email', () => shop.request('POST', '/api/customers', { name: 'ab', email: 'n\u0000l@x.test' })],
          ['product sku', () => shop.request('POST', '/api/products', { sku: 'S\u0000', name: 'n', priceCents: 1 })],
          ['tenant name', () => t().app.inject({ method: 'POST', url: '/tenants', payload: { id: `${shop.id.slice(0, 50)}-nul`, name: 'a\u0000' } })],
        ];
        const failures: string[] = [];
        for (const [what, attempt] of attempts) {
          const response = await attempt();
          if (response.statusCode >= 500) failures.push(`${what}: ${response.statusCode}`);
        }
        expect(failures).to.deep.equal([]);
      });

      it('answers 404 for an unknown tenant and 400 for a malformed tenant header', async () => {
        const app = t().app;
        expectError(await app.inject({ url: '/api/orders', headers: { 'x-tenant-id': 'no-such-shop' } }), 404, 'unknown tenant');
        for (const header of ['UPPER', 'has space', '-leading-dash', 'x'.repeat(65), "a'; drop table tenants; --", '%']) {
          expectError(await app.inject({ url: '/api/orders', headers: { 'x-tenant-id': header } }), 400, `tenant ${header}`);
        }
        expectError(await app.inject({ method: 'POST', url: '/api/customers', payload: { name: 'x', email: 'x@y.z' } }), 400, 'no tenant');
        expectError(await app.inject({ method: 'POST', url: '/tenants', payload: { id: 'Bad Id', name: 'x' } }), 400, 'bad tenant id');
        expectError(await app.inject({ method: 'POST', url: '/tenants', payload: { id: 'ok-id', name: 'x', extra: 1 } }), 400, 'unknown tenant field');
      });

      it('refuses bad customers and products with 400 and changes nothing', async () => {
        const shop = await makeShop(t().app);
        const { product } = await furnishedShop(shop);
        const before = await snapshot(shop);
        const customers: [string, unknown][] = [
          ['missing email', { name: 'N' }],
          ['missing name', { email: 'n@x.test' }],
          ['empty name', { name: '', email: 'n@x.test' }],
          ['email without @', { name: 'N', email: 'not-an-email' }],
          ['email with space', { name: 'N', email: 'a b@x.test' }],
          ['unknown field', { name: 'N', email: 'n@x.test', vip: true }],
          ['isActive not boolean', { name: 'N', email: 'n@x.test', isActive: 'perhaps' }],
        ];
        for (const [what, body] of customers) expectError(await shop.request('POST', '/api/customers', body), 400, what);
        const products: [string, unknown][] = [
          ['negative price', { sku: 'N1', name: 'N', priceCents: -1 }],
          ['fractional price', { sku: 'N1', name: 'N', priceCents: 1.5 }],
          ['negative stock', { sku: 'N1', name: 'N', priceCents: 1, stock: -1 }],
          ['missing sku', { name: 'N', priceCents: 1 }],
          ['unknown field', { sku: 'N1', name: 'N', priceCents: 1, color: 'red' }],
        ];
        for (const [what, body] of products) expectError(await shop.request('POST', '/api/products', body), 400, what);
        for (const [what, body] of [['empty change', {}], ['negative price', { priceCents: -5 }], ['sku is not changeable', { sku: 'X' }], ['negative stock', { stock: -2 }]] as const) {
          expectError(await shop.request('PATCH', `/api/products/${product.id}`, body), 400, what);
        }
        const wrongType = await t().app.inject({
          method: 'POST',
          url: '/api/customers',
          headers: { 'x-tenant-id': shop.id, 'content-type': 'application/xml' },
          payload: '<customer name="N" email="n@x.test"/>',
        });
        expectError(wrongType, 415, 'XML body');
        expect(await snapshot(shop)).to.deep.equal(before);
      });
    });
  });
});
