// The parts a scenario's context is built from (harness/context/), each on its own: what they send,
// what they record as evidence, and what they refuse.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CAPABILITIES } from '../../harness/db/backends';
import { tenantIds } from '../../harness/context/data';
import { emptyEvidence, evidenceRecorder } from '../../harness/context/evidence';
import { createHttp } from '../../harness/context/http';
import { loadTestPart } from '../../harness/context/load';
import { scalingPart } from '../../harness/context/scaling';
import type { LoadGenerator } from '../../harness/load';
import type { HttpResponse, LatencyStats } from '../../harness/scenario';
import type { ServerError } from '../../harness/server-errors';

describe('the run context, part by part', () => {
  describe('http', () => {
    let server: Server;
    let baseUrl: string;
    const seen: { method?: string; url?: string; tenant?: string; type?: string; body: string }[] = [];
    before(async () => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          seen.push({ method: request.method, url: request.url, tenant: request.headers['x-tenant-id'] as string, type: request.headers['content-type'], body });
          if (request.url === '/slow') {
            setTimeout(() => response.writeHead(200).end(), 300);
            return;
          }
          if (request.url === '/boom') {
            response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'relation "x" does not exist' }));
          } else if (request.url === '/text') {
            response.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
          } else {
            response.writeHead(201, { 'content-type': 'application/json', 'server-timing': 'db;dur=2.5;desc="4 queries"', 'x-request-id': 'r-1' }).end(JSON.stringify({ ok: true }));
          }
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends JSON with the tenant header, and records the request with its query count unless quiet', async () => {
      const record = { requests: [] as ReturnType<typeof emptyEvidence>['requests'], serverErrors: [] as ServerError[] };
      const http = createHttp(baseUrl, record);
      const response = await http.post('/orders', { tenant: 'shop-1', body: { a: 1 } });
      expect(response).to.include({ status: 201, queries: 4, dbMs: 2.5, requestId: 'r-1' });
      expect(response.body).to.deep.equal({ ok: true });
      expect(seen.at(-1)).to.deep.include({ method: 'POST', url: '/orders', tenant: 'shop-1', type: 'application/json', body: '{"a":1}' });
      await http.get('/quiet', { quiet: true });
      expect(seen.at(-1)).to.deep.include({ method: 'GET', tenant: undefined, type: undefined, body: '' });
      expect(record.requests.map((r) => [r.method, r.path, r.status, r.queries])).to.deep.equal([['POST', '/orders', 201, 4]]);
      expect(record.serverErrors).to.deep.equal([]);
    });

    it('keeps a body that is not JSON as text, and records every 5xx with its message, quiet or not', async () => {
      const record = { requests: [] as ReturnType<typeof emptyEvidence>['requests'], serverErrors: [] as ServerError[] };
      const http = createHttp(baseUrl, record);
      expect((await http.get('/text')).body).to.equal('not json');
      await http.delete('/boom', { quiet: true });
      expect(record.serverErrors).to.deep.equal([{ method: 'DELETE', path: '/boom', status: 500, message: 'relation "x" does not exist' }]);
      expect(record.requests.map((r) => r.path)).to.deep.equal(['/text']);
    });

    it('waits for a slow answer as long as it is told, and no longer', async () => {
      const record = { requests: [] as ReturnType<typeof emptyEvidence>['requests'], serverErrors: [] as ServerError[] };
      expect((await createHttp(baseUrl, record, 2_000).get('/slow')).status).to.equal(200);
      let error: Error | undefined;
      await createHttp(baseUrl, record, 100).get('/slow').catch((err: Error) => (error = err));
      expect(error?.name).to.equal('TimeoutError');
    });
  });

  describe('data', () => {
    it('issues tenant ids unique within a scenario, in the pattern the service accepts', () => {
      const next = tenantIds();
      expect([next('Stock race'), next('Stock race'), next('x'.repeat(80))]).to.deep.equal(['stock-race-1', 'stock-race-2', 'x'.repeat(64)]);
      expect(tenantIds()('Stock race'), 'another scenario starts over').to.equal('stock-race-1');
    });
  });

  describe('evidence', () => {
    it("records a request's SQL shapes, most frequent first, and none for a response without a request id", async () => {
      const evidence = emptyEvidence();
      const sql = ['select * from orders where id = 1', 'select * from orders where id = 2', 'select * from customers'];
      const recorder = evidenceRecorder(evidence, async (id) => (id === 'r-1' ? { requestId: id, queries: 3, dbMs: 1, sql } : null));
      const shapes = await recorder.queryShapes({ requestId: 'r-1' } as HttpResponse, 'GET /orders');
      expect(shapes[0]!.count).to.equal(2);
      expect(await recorder.queryShapes({} as HttpResponse, 'no id')).to.deep.equal([]);
      expect(evidence.shapes.map((s) => [s.request, s.total, s.shapes.length])).to.deep.equal([['GET /orders', 3, 2], ['no id', 0, 0]]);
      recorder.caveat('c');
      recorder.observe('o', 1);
      expect(evidence).to.deep.include({ caveats: ['c'], observations: [{ label: 'o', value: 1 }] });
    });
  });

  describe('scaling', () => {
    it('measures each size, records the table, and calls an N+1 growing', async () => {
      const evidence = emptyEvidence();
      const scaling = await scalingPart(evidence, [3, 10, 30])('GET /summary', async (size) => ({ queries: size + 1, ms: 1 }) as HttpResponse);
      expect(scaling.points.map((p) => [p.label, p.queries])).to.deep.equal([['3 customers', 4], ['10 customers', 11], ['30 customers', 31]]);
      expect(scaling.growth).to.equal('grows');
      expect(evidence.scaling).to.deep.equal([scaling]);
    });

    it('refuses a response without Server-Timing rather than tabulate nothing', async () => {
      const part = scalingPart(emptyEvidence(), [3, 10, 30]);
      let error: Error | undefined;
      await part('GET /x', async () => ({ ms: 1 }) as HttpResponse).catch((err: Error) => (error = err));
      expect(error?.message).to.equal('GET /x: the response carries no Server-Timing header');
    });
  });

  describe('load', () => {
    const stats = (p50: number): LatencyStats => ({ p50, p90: p50, p99: p50, mean: p50, max: p50, rps: 100, requests: 50, errors: 0, non2xx: 0, timeouts: 0 }) as unknown as LatencyStats;
    const fakeGenerator = (urls: string[]): LoadGenerator => ({
      measure: async (job) => (urls.push(job.url), stats(job.url.endsWith('/api/ping') ? 1 : 10)),
      mix: async () => {
        throw new Error('not used');
      },
      stop: () => {},
    });

    it('interleaves each round with a floor round, records the medians, and adds a caveat on pg-mem only', async () => {
      for (const name of ['pg-mem', 'postgres'] as const) {
        const urls: string[] = [];
        const evidence = emptyEvidence();
        const generator = fakeGenerator(urls);
        const loadTest = loadTestPart({ baseUrl: 'http://h', duration: 0.5, connections: 2, backend: { name, capabilities: CAPABILITIES[name] }, generator: () => generator, evidence });
        const measurement = await loadTest('summary', '/api/summary', 'shop', '30 customers');
        expect(urls).to.deep.equal(['/api/summary', '/api/ping', '/api/summary', '/api/ping', '/api/summary', '/api/ping'].map((p) => `http://h${p}`));
        expect([measurement.median.p50, measurement.floor?.p50]).to.deep.equal([10, 1]);
        expect(evidence.load).to.have.length(1);
        expect(evidence.caveats.length, name).to.equal(name === 'pg-mem' ? 1 : 0);
      }
    });
  });
});
