// Headless Chromium for the browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH) driven by
// playwright-core, which downloads no browser. Missing, the suite's tests skip loudly;
// REQUIRE_BROWSER=1 (as in CI) turns that skip into a failure.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { skipped } from './matrix';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Call from a `before` hook: a launched browser, or the suite skipped (failed under REQUIRE_BROWSER=1). */
export async function launchChromium(context: Mocha.Context, what: string): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    const missing = `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1, but ${missing}`);
    const why = `${missing}: ${what} were skipped`;
    console.warn(`\n  !!! ${why}\n`);
    if (!skipped.includes(why)) skipped.push(why);
    context.skip();
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
