// GET /docs/json: an OpenAPI 3 document generated from the route schemas, holding every route
// Fastify registers (collected with an onRoute hook, not from a list of ours), that a validator
// accepts; and Swagger UI at /docs under a policy of its own.
import { validate } from '@readme/openapi-parser';
import { expect } from 'chai';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildApp } from '../../service/app';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_PREFIX } from '../../service/plugins/openapi';
import { loadVariant } from '../../variants/load';
import type { Database } from '../../harness/db/backends';
import { openBackend } from '../helpers/matrix';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Routes that are not the API: the web page's static files and the documentation itself. */
const NOT_API = (url: string) => ['/', '/app.js', '/style.css'].includes(url) || url === DOCS_PREFIX || url.startsWith(`${DOCS_PREFIX}/`);

interface Registered {
  method: string;
  url: string;
}

/**
 * Every route as Fastify registers it, read once the app is ready. Fastify adds a HEAD twin to
 * each GET (exposeHeadRoutes), which OpenAPI leaves implicit: a HEAD is left out only when a GET
 * of the same URL exists, so a HEAD route of its own would still have to be documented.
 */
function collectRoutes(app: FastifyInstance): () => Registered[] {
  const seen: Registered[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (NOT_API(route.url)) return;
    for (const method of [route.method].flat()) seen.push({ method, url: route.url });
  });
  return () => {
    const gets = new Set(seen.filter((r) => r.method === 'GET').map((r) => r.url));
    return seen.filter((r) => r.method !== 'HEAD' || !gets.has(r.url));
  };
}

/** `/orders/:id` as OpenAPI writes it: `/orders/{id}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; tags?: { name: string }[] };

/** The routes registered but missing from the document, as `METHOD /path`. */
function undocumented(routes: Registered[], doc: Doc): string[] {
  return routes.filter(({ method, url }) => !doc.paths[openApiPath(url)]?.[method.toLowerCase()]).map(({ method, url }) => `${method} ${url}`);
}

function operations(doc: Doc): { method: string; path: string; op: any }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, op: item[method] })),
  );
}

describe('OpenAPI document and Swagger UI', () => {
  let db: Database;
  const apps: FastifyInstance[] = [];

  before(async () => {
    db = await openBackend('pg-mem');
  });
  after(async () => {
    for (const app of apps) await app.close();
    await db.close();
  });

  function app(dev = false): { app: FastifyInstance; routes: () => Registered[] } {
    const built = buildApp({ variant: loadVariant('fixed'), knex: db.knex, dev });
    apps.push(built);
    return { app: built, routes: collectRoutes(built) };
  }

  async function documentOf(instance: FastifyInstance): Promise<Doc> {
    const res = await instance.inject({ url: `${DOCS_PREFIX}/json` });
    expect(res.statusCode, res.body).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
    return res.json();
  }

  it('lists every route Fastify registered, with each of its methods, in dev mode and out of it', async () => {
    for (const dev of [false, true]) {
      const { app: instance, routes } = app(dev);
      const doc = await documentOf(instance);
      expect(doc.openapi).to.match(/^3\.\d+\.\d+$/);
      // The hook saw the API (not an empty list that would pass vacuously).
      expect(routes().map((r) => `${r.method} ${r.url}`)).to.include.members(['POST /tenants', 'GET /api/orders/:id', 'DELETE /api/orders/:id', 'PATCH /api/products/:id', 'POST /api/dev/seed']);
      expect(undocumented(routes(), doc)).to.deep.equal([]);
      // ... and nothing but it: every documented operation is a registered route.
      const registered = new Set(routes().map(({ method, url }) => `${method.toLowerCase()} ${openApiPath(url)}`));
      expect(operations(doc).map(({ method, path }) => `${method} ${path}`).filter((key) => !registered.has(key))).to.deep.equal([]);
    }
  });

  it('fails the check when a route is hidden from the document', async () => {
    const { app: instance, routes } = app();
    instance.get('/api/secret', { schema: { hide: true } as object }, async () => ({}));
    const doc = await documentOf(instance);
    expect(undocumented(routes(), doc)).to.deep.equal(['GET /api/secret']);
  });

  it('validates as OpenAPI 3, and the validator refuses what OpenAPI 3.0 cannot say', async () => {
    const doc = await documentOf(app().app);
    const result = await validate(structuredClone(doc) as any);
    expect(result, JSON.stringify(result)).to.deep.include({ valid: true, specification: 'OpenAPI' });
    // Our Ajv keyword maxUnits is no OpenAPI keyword: left in a schema, the document is invalid.
    const raw = structuredClone(doc);
    raw.paths['/api/customers']!.post.requestBody.content['application/json'].schema.properties.name.maxUnits = 120;
    expect((await validate(raw as any)).valid).to.equal(false);
  });

  it('says each limit as OpenAPI can, without changing what the route validates', async () => {
    const { app: instance } = app();
    const doc = await documentOf(instance);
    const name = doc.paths['/api/customers']!.post.requestBody.content['application/json'].schema.properties.name;
    expect(name).to.deep.include({ type: 'string', minLength: 1, maxLength: 120, 'x-maxUnits': 120 });
    expect(name).not.to.have.property('maxUnits');
    // The route still counts UTF-16 units: 60 emoji are 60 code points but 120 units, 61 are 122.
    await instance.inject({ method: 'POST', url: '/tenants', payload: { id: 'docs', name: 'Docs' } });
    const post = (customerName: string, email: string) =>
      instance.inject({ method: 'POST', url: '/api/customers', headers: { 'x-tenant-id': 'docs' }, payload: { name: customerName, email } });
    expect((await post('😀'.repeat(60), 'a@b.c')).statusCode).to.equal(201);
    expect((await post('😀'.repeat(61), 'b@b.c')).statusCode).to.equal(400);
  });

  it('gives every operation a summary and a declared tag, and asks /api for X-Tenant-ID', async () => {
    const doc = await documentOf(app().app);
    const tags = new Set(doc.tags!.map((tag) => tag.name));
    for (const { method, path, op } of operations(doc)) {
      expect(op.summary, `${method} ${path}`).to.be.a('string').that.is.not.empty;
      expect(op.tags, `${method} ${path}`).to.have.length(1);
      expect(tags.has(op.tags[0]), `${method} ${path}: ${op.tags[0]}`).to.equal(true);
      expect(op.security ?? null, `${method} ${path}`).to.deep.equal(path.startsWith('/api/') ? [{ tenant: [] }] : null);
    }
  });

  it('serves Swagger UI at /docs under its own policy, and leaves the page at / its strict one', async () => {
    const { app: instance } = app();
    for (const url of [DOCS_PREFIX, `${DOCS_PREFIX}/`]) {
      const res = await instance.inject({ url });
      expect(res.statusCode, url).to.equal(200);
      expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).to.equal(DOCS_CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.body).to.contain('swagger-ui-bundle.js').and.not.match(/<script>(?!\s*<\/script>)/);
    }
    const bundle = await instance.inject({ url: `${DOCS_PREFIX}/static/swagger-ui-bundle.js` });
    expect(bundle.statusCode).to.equal(200);
    expect(bundle.headers['content-type']).to.match(/javascript/);
    const page = await instance.inject({ url: '/' });
    expect(page.headers['content-security-policy']).to.contain("style-src 'self';").and.not.contain('unsafe-inline');
  });
});
