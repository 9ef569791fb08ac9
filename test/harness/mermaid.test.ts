// The report's charts are only worth something if GitHub can draw them: each ```mermaid block the
// renderer writes is parsed by mermaid's own parser. mermaid needs a DOM (it sanitizes labels with
// DOMPurify), so it runs as it does on GitHub: its browser bundle, in headless Chromium.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderMarkdown } from '../../harness/report/markdown';
import type { RunResult } from '../../harness/scenario';
import { launchChromium } from '../helpers/browser';
import { mermaidBlocks } from '../helpers/charts';

const MERMAID_BUNDLE = require.resolve('mermaid/dist/mermaid.min.js');
const FIXTURE = join(__dirname, 'fixtures', 'run.json');

declare global {
  interface Window {
    mermaid: { initialize(config: object): void; parse(text: string): Promise<{ diagramType: string }> };
  }
}

/** mermaid's verdict on one block: the diagram type, or the parser's error message. */
async function parse(page: Page, text: string): Promise<{ type?: string; error?: string }> {
  return page.evaluate(async (body) => {
    try {
      return { type: (await window.mermaid.parse(body)).diagramType };
    } catch (err) {
      return { error: String((err as Error)?.message ?? err) };
    }
  }, text);
}

describe('report charts under mermaid\'s parser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    browser = await launchChromium(this, "the report charts' mermaid parse tests");
    page = await browser.newPage();
    await page.addScriptTag({ content: readFileSync(MERMAID_BUNDLE, 'utf8') });
    await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false }));
  });

  after(async () => {
    await browser?.close();
  });

  it('accepts every chart of a report, whatever its variants are called', async () => {
    const run = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunResult;
    const odd = structuredClone(run);
    const names: Record<string, string> = { broken: 'before "v1" [a, b] %% #x;', fixed: 'cand`idate: <b>ü</b>' };
    for (const result of odd.results) result.variant = names[result.variant] ?? result.variant;
    odd.header.variants = odd.header.variants.map((v) => names[v] ?? v);
    const blocks = [run, odd].flatMap((r) => mermaidBlocks(renderMarkdown(r)));
    expect(blocks).to.have.length(4);
    for (const block of blocks) expect(await parse(page, block), block).to.deep.equal({ type: 'xychart' });
  });

  it("accepts the README's charts", async () => {
    const blocks = mermaidBlocks(readFileSync(join(__dirname, '../../README.md'), 'utf8'));
    expect(blocks).to.have.length.greaterThan(0);
    for (const block of blocks) expect(await parse(page, block), block).to.deep.equal({ type: 'xychart' });
  });

  it('refuses a chart it cannot read, so the test above can fail', async () => {
    // What the renderer would write if it did not replace the double quote in a label.
    const unescaped = 'xychart-beta\n  title "before "v1""\n  x-axis "size" ["a", "b"]\n  line [1, 2]';
    expect((await parse(page, unescaped)).error).to.be.a('string').that.is.not.empty;
    expect((await parse(page, 'xychart-beta\n  x-axis "size" ["a", "b"]\n  line [1, two]')).error).to.be.a('string');
  });
});
