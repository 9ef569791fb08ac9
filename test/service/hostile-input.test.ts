// One regression test per class of hostile input that once made the reference answer a 500, an
// engine-dependent answer, or a silent alteration (issue 10). Every refusal is a 400/409/404 in the
// one error shape, the same on both engines, and leaves every row as it was.
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { expect } from 'chai';
import type { LightMyRequestResponse } from 'fastify';
import { ORDER_LIMITS, TEXT_LIMITS } from '../../variants/contract';
import { errorShapeProblem, expectError } from '../helpers/error-shape';
import { makeShop, type Shop } from '../helpers/factories';
import { forEachBackend, useApp } from '../helpers/matrix';
import { tableChecksum } from '../helpers/rows';

/** A request with a body written by hand, so it can hold what JSON.stringify never writes. */
function rawJson(shop: Shop, app: ReturnType<ReturnType<typeof useApp>>['app'], method: 'POST' | 'PATCH', url: string, payload: string) {
  return app.inject({ method, url, headers: { 'x-tenant-id': shop.id, 'content-type': 'application/json' }, payload });
}

/** Sends raw bytes to a listening server and returns what came back before it closed. */
function rawHttp(port: number, bytes: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('end', () => done(answer));
    socket.on('error', fail);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(bytes.slice(0, 40))}`)));
  });
}

function parseRawResponse(text: string): { statusCode: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [status, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { statusCode: Number(status?.split(' ')[1]), headers, body };
}

forEachBackend((backend) => {
  describe('hostile input (the reference answer)', () => {
    const t = useApp(backend, 'fixed');
    const unchanged = async (what: string, act: () => Promise<void>) => {
      const before = await tableChecksum(t().db.knex);
      await act();
      expect(await tableChecksum(t().db.knex), `${what} changed a row`).to.equal(before);
    };

    it('1, 8: takes URL numbers only as plain decimal digits, never Infinity, hex, binary, signs or exponents', async () => {
      const shop = await makeShop(t().app);
      const odd = ['1e400', '-1e400', 'Infinity', '-Infinity', 'NaN', '0x8', '0b111', '0o7', '+8', '12e0', '8%20', '%208', '007', '1.0', '99999999999'];
      await unchanged('odd numbers', async () => {
        for (const n of odd) {
          for (const url of [`/api/orders/${n}`, `/api/customers/${n}/orders`, `/api/products/${n}`, `/api/orders/summary?limit=${n}`, `/api/orders?page=${n}`, `/api/products?pageSize=${n}`]) {
            expectError(await shop.request('GET', url), 400, url);
          }
          expectError(await shop.request('POST', `/api/orders/${n}/cancel`), 400, `cancel ${n}`);
          expectError(await shop.request('PATCH', `/api/products/${n}`, { name: 'x' }), 400, `patch ${n}`);
        }
      });
      expect((await shop.ok('GET', '/api/orders?page=1&pageSize=100')).pageSize).to.equal(100);
    });

    it('1, 8: types a JSON body strictly: no number from text or true, no null from "", no false from null, no Infinity', async () => {
      const shop = await makeShop(t().app);
      const product = await shop.product({ stock: 5 });
      const customer = await shop.customer();
      await unchanged('coerced bodies', async () => {
        const patches: unknown[] = [{ stock: '' }, { available: null }, { available: 0 }, { available: 'false' }, { priceCents: '5' }, { priceCents: true }, { stock: [3] }, { name: 7 }];
        for (const body of patches) expectError(await shop.request('PATCH', `/api/products/${product.id}`, body), 400, JSON.stringify(body));
        for (const body of [{ customerId: true, items: [{ productId: product.id, quantity: 1 }] }, { customerId: `${customer.id}`, items: [{ productId: product.id, quantity: 1 }] }, { customerId: customer.id, items: [{ productId: product.id, quantity: '1' }] }]) {
          expectError(await shop.request('POST', '/api/orders', body), 400, JSON.stringify(body));
        }
        expectError(await shop.request('POST', '/api/customers', { name: 'N', email: 'n@x.test', isActive: 'true' }), 400, 'isActive as text');
        for (const number of ['1e400', '-1e400', '1e308']) {
          expectError(await rawJson(shop, t().app, 'POST', '/api/products', `{"sku":"S","name":"N","priceCents":${number}}`), 400, `price ${number}`);
          expectError(await rawJson(shop, t().app, 'POST', '/api/dev/seed', `{"customers":1,"seed":${number}}`), 400, `seed ${number}`);
        }
      });
      expect(await shop.ok('GET', `/api/products/${product.id}`)).to.include({ stock: 5, available: true });
    });

    it('2: refuses deeply nested JSON with a 400 on every route with a body, without exhausting the stack', async () => {
      const shop = await makeShop(t().app);
      const product = await shop.product();
      const nested = ['['.repeat(20_000) + ']'.repeat(20_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)];
      await unchanged('nested bodies', async () => {
        for (const payload of nested) {
          for (const [method, url] of [['POST', '/api/orders'], ['POST', '/api/customers'], ['POST', '/api/products'], ['PATCH', `/api/products/${product.id}`], ['POST', '/api/dev/seed']] as const) {
            expectError(await rawJson(shop, t().app, method, url, payload), 400, `${method} ${url}`);
          }
          expectError(await t().app.inject({ method: 'POST', url: '/tenants', headers: { 'content-type': 'application/json' }, payload }), 400, 'tenant');
        }
        // Nine levels is already deeper than any route reads.
        const nine = { customerId: 1, items: [{ productId: 1, quantity: 1 }], x: [[[[[[[[1]]]]]]]] };
        expect((await shop.request('POST', '/api/orders', nine)).json().message).to.match(/nest deeper/);
      });
    });

    it('3: answers exactly one 201 and the rest 409 to identical creates sent at once (customers, products, shops)', async () => {
      const shop = await makeShop(t().app);
      const tenantId = `${shop.id.slice(0, 55)}-twin`;
      const races: [string, () => Promise<LightMyRequestResponse>][] = [
        ['customer', () => shop.request('POST', '/api/customers', { name: 'Twin', email: 'Twin@Race.test' })],
        ['product', () => shop.request('POST', '/api/products', { sku: 'TWIN', name: 'Twin', priceCents: 100 })],
        ['shop', () => t().app.inject({ method: 'POST', url: '/tenants', payload: { id: tenantId, name: 'Twin' } })],
      ];
      for (const [what, create] of races) {
        const answers = await Promise.all(Array.from({ length: 16 }, create));
        const statuses = answers.map((answer) => answer.statusCode).sort();
        expect(statuses, what).to.deep.equal([201, ...Array(15).fill(409)]);
        for (const answer of answers.filter((a) => a.statusCode === 409)) expectError(answer, 409, what);
      }
      expect((await shop.ok('GET', '/api/customers')).count).to.equal(1);
      expect((await shop.ok('GET', '/api/products')).count).to.equal(1);
    });

    it('4: checks an email length after lower-casing, the text that is stored', async () => {
      const shop = await makeShop(t().app);
      // 245 code units as sent; İ lower-cases to i + U+0307, so 485 once stored.
      const email = `${'İ'.repeat(240)}@x.io`;
      expect(email.length).to.be.at.most(TEXT_LIMITS.email);
      await unchanged('long email', async () => {
        expect(expectError(await shop.request('POST', '/api/customers', { name: 'N', email }), 400, 'İ email').message).to.match(/lower-cased/);
      });
      const fits = `${'İ'.repeat(100)}@x.io`;
      expect((await shop.ok('POST', '/api/customers', { name: 'N', email: fits })).email).to.equal(fits.toLowerCase());
    });

    it('5: keeps every order total within int4: the largest order allowed is placed, anything larger is a 400', async () => {
      const shop = await makeShop(t().app);
      const product = await shop.product({ priceCents: ORDER_LIMITS.maxPriceCents, stock: null });
      const customer = await shop.customer();
      const largest = Array.from({ length: ORDER_LIMITS.maxLines }, () => ({ productId: product.id, quantity: ORDER_LIMITS.maxQuantity }));
      const order = await shop.order(customer.id, largest);
      expect(order.totalCents).to.equal(ORDER_LIMITS.maxLines * ORDER_LIMITS.maxQuantity * ORDER_LIMITS.maxPriceCents);
      expect(order.totalCents).to.be.below(2 ** 31);
      expect((await shop.ok('GET', '/api/analytics')).totalRevenue).to.equal(order.totalCents);
      expect((await shop.ok('GET', '/api/orders/summary')).rows[0].totalCents).to.equal(order.totalCents);
      await unchanged('over the limits', async () => {
        expectError(await shop.request('POST', '/api/orders', { customerId: customer.id, items: [...largest, largest[0]] }), 400, 'one line too many');
        expectError(await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: ORDER_LIMITS.maxQuantity + 1 }] }), 400, 'quantity');
        expectError(await shop.request('PATCH', `/api/products/${product.id}`, { priceCents: ORDER_LIMITS.maxPriceCents + 1 }), 400, 'price');
        expectError(await shop.request('POST', '/api/products', { sku: 'BIG', name: 'Big', priceCents: ORDER_LIMITS.maxPriceCents + 1 }), 400, 'new price');
      });
    });

    it('6: measures text the same way on both engines: 60 emoji fit a 120-long name, 61 do not', async () => {
      const shop = await makeShop(t().app);
      const fits = '😀'.repeat(TEXT_LIMITS.customerName / 2);
      const created = await shop.ok('POST', '/api/customers', { name: fits, email: 'emoji@x.test' });
      expect(created.name).to.equal(fits);
      await unchanged('61 emoji', async () => {
        expectError(await shop.request('POST', '/api/customers', { name: `${fits}😀`, email: 'emoji2@x.test' }), 400, 'customer');
        expectError(await shop.request('POST', '/api/products', { sku: '😀'.repeat(TEXT_LIMITS.sku / 2 + 1), name: 'N', priceCents: 1 }), 400, 'sku');
        expectError(await t().app.inject({ method: 'POST', url: '/tenants', payload: { id: `${shop.id.slice(0, 50)}-e`, name: `${fits}😀` } }), 400, 'shop');
      });
    });

    it('7: refuses a lone surrogate (400) instead of storing U+FFFD in its place', async () => {
      const shop = await makeShop(t().app);
      const product = await shop.product();
      await unchanged('lone surrogates', async () => {
        for (const text of ['x\\ud800y', '\\udfff', 'a\\ud83d']) {
          expectError(await rawJson(shop, t().app, 'POST', '/api/customers', `{"name":"${text}","email":"s@x.test"}`), 400, `name ${text}`);
          expectError(await rawJson(shop, t().app, 'POST', '/api/products', `{"sku":"${text}","name":"N","priceCents":1}`), 400, `sku ${text}`);
          expectError(await rawJson(shop, t().app, 'PATCH', `/api/products/${product.id}`, `{"name":"${text}"}`), 400, `rename ${text}`);
        }
      });
      // A well-formed pair is one character, and is stored as sent.
      expect((await shop.ok('POST', '/api/customers', { name: 'pair 😀', email: 'pair@x.test' })).name).to.equal('pair 😀');
    });

    it('9: answers unknown routes, bad URLs and over-long parameters in the one error shape', async () => {
      const app = t().app;
      const shop = await makeShop(app);
      expectError(await app.inject({ url: '/no-such-page' }), 404, 'unknown route');
      expectError(await shop.request('GET', '/api/no-such-route'), 404, 'unknown /api route');
      expectError(await app.inject({ method: 'OPTIONS', url: '/api/orders' }), 404, 'OPTIONS');
      expectError(await shop.request('GET', '/api/products/%E0%A4%A'), 400, 'bad percent-encoding');
      expectError(await shop.request('GET', `/api/orders/${'1'.repeat(101)}`), 414, 'over-long id');
      expectError(await app.inject({ method: 'POST', url: '/tenants', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(70_000) }), 413, 'body too large');
    });

    it('9: answers what the HTTP parser refuses, and CONNECT, in the one error shape', async function () {
      const app = t().app;
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      try {
        const answers: [string, string, number][] = [
          ['garbage', 'NOT HTTP AT ALL\r\n\r\n', 400],
          ['bad header', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 400],
          ['huge header', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
          ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 405],
        ];
        for (const [what, bytes, statusCode] of answers) {
          const response = parseRawResponse(await rawHttp(port, bytes));
          expect(response.statusCode, `${what}: ${response.body}`).to.equal(statusCode);
          expect(errorShapeProblem(response), what).to.equal(undefined);
          expect(response.headers['x-content-type-options'], what).to.equal('nosniff');
        }
        expect((await fetch(`http://127.0.0.1:${port}/health`)).status, 'still serving').to.equal(200);
      } finally {
        // useApp closes the app; here only the listener is ours to stop.
        await new Promise<void>((done) => app.server.close(() => done()));
      }
    });

    it('10: sends tenant data with nosniff and no-store, and random request ids', async () => {
      const shop = await makeShop(t().app);
      const customer = await shop.customer();
      const responses = [
        await shop.request('GET', `/api/customers/${customer.id}`),
        await shop.request('GET', '/api/customers/999999'),
        await shop.request('GET', '/api/orders?page=0'),
        await t().app.inject({ url: `/tenants/${shop.id}` }),
      ];
      for (const response of responses) {
        expect(response.headers['x-content-type-options']).to.equal('nosniff');
        expect(response.headers['cache-control']).to.equal('no-store');
      }
      const ids = responses.slice(0, 3).map((response) => String(response.headers['x-request-id']));
      for (const id of ids) expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it('10: gives the page a content security policy that allows only its own files', async () => {
      const page = await t().app.inject({ url: '/' });
      const policy = String(page.headers['content-security-policy']);
      for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) {
        expect(policy).to.contain(directive);
      }
      expect(policy).not.to.match(/unsafe-inline|unsafe-eval|\*/);
    });
  });
});

describe('harness/serve.ts --help (11)', () => {
  it('prints its usage and exits 0, and names an unknown option without a stack trace', () => {
    const serve = resolve(__dirname, '../../harness/serve.ts');
    const run = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', serve, ...args], { encoding: 'utf8', timeout: 60_000 });
    const help = run('--help');
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^usage: serve --variant/);
    const unknown = run('--no-such-option');
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.match(/^serve: Unknown option '--no-such-option'/);
    expect(unknown.stderr).not.to.match(/TypeError|    at /);
  });
});
