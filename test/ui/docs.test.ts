// Swagger UI at /docs in headless Chromium, under the policy the server sends: it must render every
// operation of the document, and the browser must refuse nothing (a policy too strict shows up
// here as a "Refused to ..." console error, or as a page with no operations).
import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildApp } from '../../service/app';
import { DOCS_PREFIX } from '../../service/plugins/openapi';
import { loadVariant } from '../../variants/load';
import type { Database } from '../../harness/db/backends';
import { launchChromium } from '../helpers/browser';
import { openBackend } from '../helpers/matrix';

describe('Swagger UI in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let db: Database | undefined;
  let app: FastifyInstance | undefined;

  before(async function () {
    browser = await launchChromium(this, 'the Swagger UI browser test');
    db = await openBackend('pg-mem');
    app = buildApp({ variant: loadVariant('fixed'), knex: db.knex });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it('renders every operation of /docs/json and the browser refuses nothing', async () => {
    const { port } = app!.server.address() as { port: number };
    const doc = (await app!.inject({ url: `${DOCS_PREFIX}/json` })).json();
    const operations = Object.values<Record<string, unknown>>(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    const page = await browser!.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    await page.goto(`http://127.0.0.1:${port}${DOCS_PREFIX}`);
    await page.waitForFunction((n) => document.querySelectorAll('.opblock').length === n, operations, { timeout: 20_000 });
    expect(await page.textContent('.info .title')).to.contain(doc.info.title);
    // The styles applied (an unstyled page would be the policy refusing them): operations are coloured blocks.
    const border = await page.$eval('.opblock-get', (el) => getComputedStyle(el).borderColor);
    expect(border).to.not.equal('rgb(0, 0, 0)');
    expect(problems).to.deep.equal([]);
    await page.close();
  });
});
