// The web page at /, clicked through in headless Chromium on both variants: what a person sees
// must say what the API did (the customer deleted on broken, kept on fixed; the oversell; the
// query count). Needs Debian's Chromium at /usr/bin/chromium; without it these tests skip
// loudly, and REQUIRE_BROWSER=1 turns that skip into a failure. Screenshots go to a temporary
// folder; only `npm run screenshot` (UPDATE_SCREENSHOT=1) replaces the README's, a tracked file.
import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../service/app';
import { loadVariant } from '../../variants/load';
import { launchChromium } from '../helpers/browser';
import { openBackend, VARIANTS, type VariantName } from '../helpers/matrix';
import { createQueryMeter } from '../../harness/queries';
import type { Database } from '../../harness/db/backends';

const FIXTURES = resolve(__dirname, 'fixtures');
const README_SCREENSHOT = resolve(__dirname, '../../docs/screenshot-broken.png');
const UPDATE_SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1';
const SAMPLE = JSON.parse(readFileSync(resolve(FIXTURES, 'pg-mem-sample.json'), 'utf8'));

interface Served {
  app: FastifyInstance;
  db: Database;
  url: string;
}

async function serve(variant: VariantName): Promise<Served> {
  const db = await openBackend('pg-mem');
  const app = buildApp({
    variant: loadVariant(variant),
    knex: db.knex,
    meter: createQueryMeter(db.knex),
    dev: true,
    variantName: variant,
    backendName: 'pg-mem',
    reportsDir: FIXTURES,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const created = await app.inject({ method: 'POST', url: '/tenants', payload: { id: 'demo', name: 'Demo' } });
  expect(created.statusCode, created.body).to.equal(201);
  const { port } = app.server.address() as { port: number };
  return { app, db, url: `http://127.0.0.1:${port}/` };
}

/** Clicks a button and waits until its result area has settled (no longer busy, no "Working…"). */
async function press(page: Page, button: string, result: string): Promise<string> {
  await page.click(button);
  await page.waitForFunction(
    (id) => {
      const area = document.getElementById(id);
      return !!area && area.getAttribute('aria-busy') !== 'true' && area.textContent !== '' && !area.querySelector('.working');
    },
    result.slice(1),
    { timeout: 20_000 },
  );
  return (await page.textContent(result)) ?? '';
}

const statOf = async (page: Page, scope: string, key: string) => Number(await page.textContent(`${scope} [data-stat="${key}"]`));

describe('web page in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let output: string;

  before(async function () {
    browser = await launchChromium(this, "the web page's browser tests");
    output = mkdtempSync(join(tmpdir(), 'regression-lab-page-'));
  });

  after(async () => {
    await browser?.close();
    if (output) rmSync(output, { recursive: true, force: true });
  });

  for (const variant of VARIANTS) {
    // One page per variant, clicked through in order like a person would: seed first, then the rest.
    describe(`${variant} variant`, () => {
      let served: Served | undefined;
      let page: Page;
      const pageErrors: string[] = [];
      const api = (method: 'GET' | 'POST', url: string) => served!.app.inject({ method, url, headers: { 'x-tenant-id': 'demo' } });

      before(async () => {
        served = await serve(variant);
        page = await browser!.newPage({ viewport: { width: 1024, height: 900 } });
        page.on('pageerror', (err) => pageErrors.push(err.message));
        page.on('console', (msg) => {
          // A 404 the page asked for (an unknown order, a missing customer) is logged by Chromium; that is not a page error.
          if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
        });
        await page.goto(served.url);
        await page.waitForSelector('#server-variant:not(:empty)');
        await page.waitForFunction(() => document.getElementById('server-variant')?.textContent !== '…');
      });

      after(async () => {
        await page?.close();
        if (!served) return;
        await new Promise((resolve) => setTimeout(resolve, 50)); // the broken variant's unawaited writes
        await served.app.close();
        await served.db.close();
      });

      it('shows the variant, the backend and the tenant', async () => {
        expect(await page.textContent('#server-variant')).to.equal(variant);
        expect(await page.textContent('#server-backend')).to.equal('pg-mem');
        expect(await page.textContent('#server-dev')).to.equal('on');
        expect(await page.inputValue('#tenant')).to.equal('demo');
        expect(await page.inputValue('#seed-customers')).to.equal('50');
        expect(await page.inputValue('#seed-orders')).to.equal('5');
        expect(await page.inputValue('#seed-items')).to.equal('3');
      });

      it('seeds sample data and shows the counts and the time taken', async () => {
        await page.fill('#seed-customers', '12');
        await page.fill('#seed-orders', '3');
        await page.fill('#seed-items', '2');
        const text = await press(page, '#seed-button', '#seed-result');
        expect(text).to.match(/Created 12 customers, 36 orders and 72 items in \d+(\.\d+)? m?s\./);
        expect(await statOf(page, '#seed-result', 'orders')).to.equal(36);
      });

      it('says "Enter an order id." when the id is empty', async () => {
        await page.fill('#cancel-id', '');
        const text = await press(page, '#cancel-button', '#cancel-result');
        expect(text).to.equal('Enter an order id.');
        expect(await page.getAttribute('#cancel-id', 'aria-invalid')).to.equal('true');
      });

      it('works with the keyboard: Tab to the id box, type an unknown id, press Enter', async () => {
        await page.focus('body');
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        let focused = '';
        for (let i = 0; i < 30 && focused !== 'cancel-id'; i++) {
          await page.keyboard.press('Tab');
          focused = await page.evaluate(() => document.activeElement?.id ?? '');
        }
        expect(focused, 'Tab reaches the order id box').to.equal('cancel-id');
        const outline = await page.$eval('#cancel-id', (node) => getComputedStyle(node).outlineStyle);
        expect(outline, 'the focused box shows a focus ring').to.not.equal('none');
        await page.keyboard.type('999999');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#cancel-result [data-testid="cancel-error"]');
        expect(await page.textContent('#cancel-result')).to.equal('No order #999999 in shop demo.');
      });

      it('shows analytics with its time and query count', async () => {
        const text = await press(page, '#analytics-button', '#queries-result');
        expect(text).to.include('Analytics');
        expect(text).to.match(/\d+ orders worth \$/);
        expect(await statOf(page, '#queries-result', 'queries')).to.be.greaterThan(0);
        expect(await page.locator('#queries-result table tbody tr').count()).to.be.greaterThan(0);
      });

      it('shows the summary with its time and the query count from Server-Timing', async () => {
        const text = await press(page, '#summary-button', '#queries-result');
        expect(text).to.include('Top customers by money spent');
        const queries = await statOf(page, '#queries-result', 'queries');
        if (variant === 'broken') {
          expect(queries).to.be.greaterThan(1);
          expect(await page.getAttribute('[data-testid="query-verdict"]', 'data-kind')).to.equal('bad');
        } else {
          expect(queries).to.equal(1);
          expect(await page.getAttribute('[data-testid="query-verdict"]', 'data-kind')).to.equal('good');
        }
        expect(await page.textContent('#queries-result [data-stat="ms"]')).to.match(/^\d+(\.\d+)? m?s$/);
        expect(await page.locator('#queries-result table tbody tr').count()).to.equal(10);
        await page.click('#queries-result details summary');
        const raw = JSON.parse((await page.textContent('#queries-result details pre')) ?? '');
        expect(raw.rows).to.have.length(12);
        await page.click('#queries-result details summary'); // folded again for the screenshot
      });

      it('cancels an order, then says what happened to its customer', async () => {
        await page.click('#cancel-pick');
        await page.waitForFunction(() => (document.getElementById('cancel-id') as HTMLInputElement).value !== '' && !!document.querySelector('#cancel-result .message'));
        const orderId = Number(await page.inputValue('#cancel-id'));
        const order = (await api('GET', `/api/orders/${orderId}`)).json();

        const text = await press(page, '#cancel-button', '#cancel-result');
        expect(text).to.include(`The server answered 200: order #${orderId} is now cancelled.`);
        const verdict = await page.textContent('[data-testid="customer-verdict"]');
        const stillThere = (await api('GET', `/api/customers/${order.customerId}`)).statusCode === 200;
        if (variant === 'broken') {
          expect(verdict).to.equal(`The customer #${order.customerId} was deleted along with all of their orders.`);
          expect(stillThere, 'the page agrees with the API').to.equal(false);
        } else {
          expect(verdict).to.match(new RegExp(`^Customer #${order.customerId} is still there \\(`));
          expect(stillThere, 'the page agrees with the API').to.equal(true);
        }
      });

      it('places 20 orders at once against a stock of 5 and reports the oversell', async () => {
        expect(await page.inputValue('#race-orders')).to.equal('20');
        expect(await page.inputValue('#race-stock')).to.equal('5');
        await press(page, '#race-button', '#race-result');
        const accepted = await statOf(page, '#race-result', 'accepted');
        const rejected = await statOf(page, '#race-result', 'rejected');
        const finalStock = await statOf(page, '#race-result', 'final-stock');
        const verdict = await page.textContent('[data-testid="race-verdict"]');
        expect(accepted + rejected + (await statOf(page, '#race-result', 'other'))).to.equal(20);
        expect(await statOf(page, '#race-result', 'sold')).to.equal(accepted);
        if (variant === 'broken') {
          expect(accepted > 5 || finalStock < 0, `accepted ${accepted}, final stock ${finalStock}`).to.equal(true);
          expect(verdict).to.equal(`Oversold by ${accepted - 5} units: ${accepted} sold with only 5 in stock.`);
        } else {
          expect(accepted).to.equal(5);
          expect(rejected).to.equal(15);
          expect(finalStock).to.equal(0);
          expect(verdict).to.equal('No oversell: sold exactly what was in stock.');
        }
      });

      it('renders the latest scenario report: the verdict matrix and the charts', async () => {
        await press(page, '#report-button', '#report-result');
        const rows = page.locator('#verdict-matrix tbody tr');
        expect(await rows.count()).to.equal(SAMPLE.scenarios.length);
        for (const result of SAMPLE.results as { scenario: string; variant: string; verdict: string; reason: string }[]) {
          const cell = page.locator(`#verdict-matrix tr[data-scenario="${result.scenario}"] td[data-variant="${result.variant}"]`);
          expect(await cell.getAttribute('data-verdict')).to.equal(result.verdict);
          expect(await cell.textContent()).to.include(result.reason);
        }
        // Two scaling charts (summary, analytics) with 3 sizes x 2 variants; one load chart with p50 and p99 per variant.
        expect(await page.locator('#scaling-charts svg').count()).to.equal(2);
        expect(await page.locator('#scaling-charts svg').first().locator('rect').count()).to.equal(6);
        expect(await page.locator('#scaling-charts svg').first().locator('text.chart-value').allTextContents()).to.deep.equal(['23', '1', '188', '1', '1651', '1']);
        expect(await page.locator('#load-charts svg').count()).to.equal(1);
        expect(await page.locator('#load-charts svg text.chart-value').allTextContents()).to.deep.equal(['88.0', '412', '4.2', '14.0']);
        expect(await page.textContent('#report-result')).to.include('file pg-mem-sample.json');
        // The masthead's badge wears its variant's colour in the charts: the swatch the legend gives it.
        const swatches = await page.locator('#scaling-charts figure').first().locator('.legend li').evaluateAll((items) =>
          items.map((li) => [li.textContent, li.querySelector('.swatch')?.className.replace('swatch ', '')]),
        );
        expect(swatches.map(([name]) => name)).to.deep.equal(SAMPLE.header.variants);
        expect(await page.getAttribute('#server-variant', 'class')).to.equal(`badge ${Object.fromEntries(swatches)[variant]}`);
      });

      it('says in plain words when the shop is unknown, invalid, or the server cannot be reached', async () => {
        await page.fill('#tenant', 'nope');
        expect(await press(page, '#summary-button', '#queries-result')).to.equal('The summary failed (404 Not Found): unknown tenant "nope".');
        await page.fill('#tenant', 'Not A Shop');
        expect(await press(page, '#analytics-button', '#queries-result')).to.match(/^"Not A Shop" is not a shop id: use lowercase letters/);
        expect(await page.getAttribute('#tenant', 'aria-invalid')).to.equal('true');
        await page.fill('#tenant', 'demo');
        await page.route('**/api/analytics', (route) => route.abort('connectionrefused'));
        try {
          expect(await press(page, '#analytics-button', '#queries-result')).to.equal('Could not reach the server for GET /api/analytics. Is it still running? (npm run dev)');
        } finally {
          await page.unroute('**/api/analytics');
        }
        await press(page, '#summary-button', '#queries-result'); // back to a real answer for the screenshot
      });

      it('reads well on a 375px-wide screen and had no script errors', async () => {
        const wide = join(output, `ui-${variant}.png`);
        await page.screenshot({ path: wide, fullPage: true });
        await page.setViewportSize({ width: 375, height: 800 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, 'no sideways scrolling at 375px').to.be.at.most(0);
        await page.screenshot({ path: join(output, `ui-${variant}-narrow.png`), fullPage: true });
        if (UPDATE_SCREENSHOT && variant === 'broken') copyFileSync(wide, README_SCREENSHOT);
        expect(pageErrors).to.deep.equal([]);
      });
    });
  }
});
