// The routes behind the web page, without a browser: the page, its stylesheet and its script (bundled
// from TypeScript) with their content types, and GET /reports/latest.json choosing the newest
// complete report.
import { expect } from 'chai';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../service/app';
import { loadVariant } from '../../variants/load';
import { openBackend } from '../helpers/matrix';
import type { Database } from '../../harness/db/backends';

describe('web page routes', () => {
  let db: Database;
  const apps: FastifyInstance[] = [];
  const dirs: string[] = [];

  before(async () => {
    db = await openBackend('pg-mem');
  });

  after(async () => {
    for (const app of apps) await app.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await db.close();
  });

  async function appWith(reportsDir?: string): Promise<FastifyInstance> {
    const app = buildApp({ variant: loadVariant('fixed'), knex: db.knex, reportsDir });
    apps.push(app);
    await app.ready();
    return app;
  }

  function reportsDir(files: Record<string, { text: string; ageSeconds: number }>): string {
    const dir = mkdtempSync(join(tmpdir(), 'regression-lab-reports-'));
    dirs.push(dir);
    const now = Date.now() / 1000;
    for (const [name, { text, ageSeconds }] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
      utimesSync(join(dir, name), now - ageSeconds, now - ageSeconds);
    }
    return dir;
  }

  it('serves the page, its script and its stylesheet with their content types', async () => {
    const app = await appWith();
    const expected: [string, string, string][] = [
      ['/', 'text/html; charset=utf-8', '<title>Regression Lab</title>'],
      ['/app.js', 'text/javascript; charset=utf-8', 'Could not reach the server for'],
      ['/style.css', 'text/css; charset=utf-8', ':focus-visible'],
    ];
    for (const [url, type, snippet] of expected) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).to.equal(200);
      expect(response.headers['content-type'], url).to.equal(type);
      expect(response.headers['x-content-type-options'], url).to.equal('nosniff');
      expect(response.body, url).to.include(snippet);
    }
  });

  it('serves the script as one classic script, built from the TypeScript with what it shares with the server', async () => {
    const body = (await (await appWith()).inject({ url: '/app.js' })).body;
    // A classic script: it compiles outside a module (no import or export left), so <script src> runs it.
    expect(() => new Script(body, { filename: 'app.js' })).to.not.throw();
    expect(body).to.not.match(/^\s*(import|export)\s/m);
    // The shared pieces are in it, not re-implemented: the Server-Timing parser and the tenant pattern.
    expect(body).to.include('quer/.exec(');
    expect(body).to.include('^[a-z0-9][a-z0-9-]{0,63}$');
    const again = (await (await appWith()).inject({ url: '/app.js' })).body;
    expect(again, 'built once per process').to.equal(body);
  });

  it('answers 404 JSON when no reports directory was given', async () => {
    const response = await (await appWith()).inject({ url: '/reports/latest.json' });
    expect(response.statusCode).to.equal(404);
    expect(response.json()).to.deep.equal({ statusCode: 404, error: 'Not Found', message: 'This server was started without a reports directory' });
  });

  it('answers 404 JSON when the directory has no report or does not exist', async () => {
    for (const dir of [reportsDir({ 'notes.md': { text: '# not a report', ageSeconds: 0 } }), join(tmpdir(), 'regression-lab-no-such-dir')]) {
      const response = await (await appWith(dir)).inject({ url: '/reports/latest.json' });
      expect(response.statusCode).to.equal(404);
      expect(response.json().message).to.match(/^No scenario report yet/);
    }
  });

  /** The top-level shape `npm run scenario` writes; `command` tells the files apart. */
  const scenarioReport = (command: string, extra: object = {}) =>
    JSON.stringify({ header: { command }, scenarios: [], results: [], complete: true, ...extra });

  it('returns the newest complete report as written, skipping partial and unreadable files', async () => {
    const dir = reportsDir({
      'pg-mem-all.json': { text: scenarioReport('older'), ageSeconds: 60 },
      'postgres-all.json': { text: scenarioReport('newest'), ageSeconds: 10 },
      'postgres-all.partial.json': { text: '{"header":{"command":"being written"', ageSeconds: 1 },
      'cut-short.json': { text: '{"header":{"command":"interrupted"}, "resu', ageSeconds: 0 },
    });
    const response = await (await appWith(dir)).inject({ url: '/reports/latest.json' });
    expect(response.statusCode).to.equal(200);
    expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(response.headers['x-report-file']).to.equal('postgres-all.json');
    expect(response.body).to.equal(scenarioReport('newest'));
  });

  it("never serves a review's report or other JSON, however new", async () => {
    const dir = reportsDir({
      'postgres-all.json': { text: scenarioReport('the scenario run'), ageSeconds: 60 },
      'review-candidate.json': { text: scenarioReport('npm run review', { review: { verdict: 'hidden' }, assignment: null }), ageSeconds: 2 },
      'package.json': { text: '{"name":"not a report","results":[]}', ageSeconds: 1 },
    });
    const response = await (await appWith(dir)).inject({ url: '/reports/latest.json' });
    expect(response.headers['x-report-file']).to.equal('postgres-all.json');
    expect(response.json().header.command).to.equal('the scenario run');
    const onlyReview = reportsDir({ 'review-candidate.json': { text: scenarioReport('npm run review', { review: {} }), ageSeconds: 0 } });
    expect((await (await appWith(onlyReview)).inject({ url: '/reports/latest.json' })).statusCode).to.equal(404);
  });

  it('serves the sample report the browser tests use', async () => {
    const response = await (await appWith(resolve(__dirname, 'fixtures'))).inject({ url: '/reports/latest.json' });
    expect(response.statusCode).to.equal(200);
    const report = response.json();
    expect(report.header.variants).to.deep.equal(['broken', 'fixed']);
    for (const result of report.results) expect(result).to.include.keys('scenario', 'variant', 'verdict', 'reason', 'evidence');
  });
});
