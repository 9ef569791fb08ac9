// Does the service hold up under a minute of mixed traffic? One service process (fixed variant,
// default engine) gets a shop, then reads and writes at a bounded rate from autocannon in its own
// process, with products that sell out. At the end: no 5xx, stock conserved, the service's memory
// at start and end. Writes reports/bench-soak.md and .json; exits 1 when a check fails.
// Not part of `npm test`: it takes a minute. `npm run bench:soak -- --help`
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { BACKENDS, DEFAULT_BACKEND, type BackendName } from '../db/backends';
import type { Dataset } from '../db/bulk-load';
import type { Cleanups } from '../interrupt';
import { startLoadGenerator, type LoadGenerator } from '../load';
import type { MixResult } from '../load-mix';
import { DEFAULT_DATABASE_URL, oneOf, parseFlags, positiveNumber, readEnvironment, runCommand, UsageError, type CommandContext, type LabEnvironment } from '../settings';
import { gitState, shellQuote } from '../report/header';
import { databaseProvider } from '../run';
import { startService, type ServiceProcess } from '../service-process';
import { BUILT_IN_VARIANTS, variantPath, VariantLoadError } from '../../variants/load';
import { checkStockConservation, ordersPlacedDuringSoak, productStocks, soakChecks, soldDuringSoak, stockFingerprint, type Conservation, type StockSnapshot } from './soak-checks';
import { SOAK_DATASET, SOAK_TENANT, SOAK_WEIGHTS, soakShapes, stockTiers } from './soak-plan';
import { renderSoak, type MemorySample, type SoakBench } from './soak-report';
import { labVariant } from '../roles';

export const SOAK_DEFAULTS = {
  /** The code that should ship: a leak or an oversell there is the one that matters. */
  variant: labVariant('reference').id,
  db: DEFAULT_BACKEND,
  seconds: 60,
  rate: 200,
  out: 'reports/bench-soak',
  /** A few: enough to overlap writes on the same products, few enough for a 2-core machine. */
  connections: 8,
  warmUpSeconds: 5,
  memoryEverySeconds: 5,
  seed: 1,
};

const USAGE = `usage: npm run bench:soak -- [options]
  --db ${BACKENDS.join('|')}   engine (default ${SOAK_DEFAULTS.db}; postgres reads DATABASE_URL, default ${DEFAULT_DATABASE_URL})
  --variant ${BUILT_IN_VARIANTS.join('|')}|<folder>   what serves (default ${SOAK_DEFAULTS.variant})
  --seconds <n>   seconds of traffic after a ${SOAK_DEFAULTS.warmUpSeconds} s warm-up (default ${SOAK_DEFAULTS.seconds})
  --rate <n>      requests per second over ${SOAK_DEFAULTS.connections} connections (default ${SOAK_DEFAULTS.rate})
  --out <path>    report path without extension (default ${SOAK_DEFAULTS.out})
exit codes: 0 every check passed, 1 a check failed, 2 usage or harness error, 130 interrupted`;

export interface SoakOptions {
  variant: string;
  backend: BackendName;
  seconds: number;
  rate: number;
  out: string;
  databaseUrl: string;
  command: string;
}

/** The options, or 'help'; a bad one throws a UsageError that names it. */
export function parseSoakOptions(argv: string[], env: LabEnvironment = readEnvironment()): SoakOptions | 'help' {
  const { values } = parseFlags(argv, {
    db: { type: 'string' },
    variant: { type: 'string' },
    seconds: { type: 'string' },
    rate: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  const variant = values.variant ?? SOAK_DEFAULTS.variant;
  try {
    variantPath(variant);
  } catch (err) {
    if (err instanceof VariantLoadError) throw new UsageError(`--variant: ${err.message}`);
    throw err;
  }
  return {
    variant,
    backend: oneOf('db', values.db, BACKENDS, SOAK_DEFAULTS.db),
    seconds: positiveNumber('seconds', values.seconds, SOAK_DEFAULTS.seconds, 3600),
    rate: positiveNumber('rate', values.rate, SOAK_DEFAULTS.rate, 10_000),
    out: resolve(values.out ?? SOAK_DEFAULTS.out),
    databaseUrl: env.databaseUrl,
    command: `npm run bench:soak${argv.length ? ` -- ${argv.map(shellQuote).join(' ')}` : ''}`,
  };
}

const say = (message: string) => void process.stderr.write(`bench:soak: ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function memorySample(service: ServiceProcess, since: number): Promise<MemorySample> {
  const usage = await service.ask<NodeJS.MemoryUsage>({ type: 'memory' });
  return { atSeconds: (performance.now() - since) / 1000, rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external };
}

/** Samples the service's memory every few seconds until stopped; a failed sample is skipped (the exit check says why). */
function watchMemory(service: ServiceProcess, since: number, everyMs: number) {
  const samples: Promise<MemorySample | undefined>[] = [];
  const timer = setInterval(() => samples.push(memorySample(service, since).catch(() => undefined)), everyMs);
  return {
    async stop(): Promise<MemorySample[]> {
      clearInterval(timer);
      return (await Promise.all(samples)).filter((s): s is MemorySample => s !== undefined);
    },
  };
}

/**
 * A snapshot reads products and order items in separate queries: one taken while an order commits
 * could count its units on one side only. Requests still in flight when autocannon stopped finish
 * on their own; two equal snapshots in a row mean they have.
 */
async function settledSnapshot(service: ServiceProcess, pauseMs = 500, attempts = 20): Promise<StockSnapshot> {
  let last = await service.ask<StockSnapshot>({ type: 'snapshot', tenant: SOAK_TENANT });
  for (let i = 0; i < attempts; i += 1) {
    await sleep(pauseMs);
    const next = await service.ask<StockSnapshot>({ type: 'snapshot', tenant: SOAK_TENANT });
    if (stockFingerprint(next) === stockFingerprint(last)) return next;
    last = next;
  }
  throw new Error(`the shop's orders and stock kept changing ${(pauseMs * attempts) / 1000} s after the load stopped`);
}

/** Gives each product its tier's stock, through the API as a shop owner would. */
async function stockProducts(service: ServiceProcess, tiers: ReturnType<typeof stockTiers>): Promise<void> {
  for (const { productId, stock } of tiers) {
    if (stock === null) continue;
    const response = await fetch(`${service.baseUrl}/api/products/${productId}`, {
      method: 'PATCH',
      headers: { 'x-tenant-id': SOAK_TENANT, 'content-type': 'application/json' },
      body: JSON.stringify({ stock }),
    });
    if (response.status !== 200) throw new Error(`could not set the stock of product ${productId}: HTTP ${response.status} ${await response.text()}`);
  }
}

const placedAnswers = (run: MixResult) => run.byShape['orders: place']?.['201'] ?? 0;

async function soakOn(service: ServiceProcess, generator: LoadGenerator, options: SoakOptions) {
  const { connections, warmUpSeconds, memoryEverySeconds, seed } = SOAK_DEFAULTS;
  say('loading the shop');
  const dataset = await service.ask<Dataset>({ type: 'load', spec: SOAK_DATASET });
  const tiers = stockTiers(dataset.products.map((p) => p.id), options.rate, options.seconds);
  await stockProducts(service, tiers);
  const initial = await service.ask<StockSnapshot>({ type: 'snapshot', tenant: SOAK_TENANT });

  const mix = { url: service.baseUrl, headers: { 'x-tenant-id': SOAK_TENANT }, shapes: soakShapes(dataset, seed), connections, overallRate: options.rate };
  say(`warm-up: ${warmUpSeconds} s of the mix`);
  const warmUp = await generator.mix({ ...mix, duration: warmUpSeconds, seed });
  const started = performance.now();
  const start = await memorySample(service, started);
  const watcher = watchMemory(service, started, memoryEverySeconds * 1000);
  say(`soak: ${options.seconds} s at up to ${options.rate} req/s over ${connections} connections`);
  const soak = await generator.mix({ ...mix, duration: options.seconds, seed: seed + 1 });
  const samples = [start, ...(await watcher.stop())];
  const loadAfter = loadavg()[0]!;

  say('checking what the database holds');
  const serviceExit = await service.exitReason(500);
  let conservation: Conservation = { ok: false, limited: [], unlimited: [], problems: [`not checked: ${serviceExit}`] };
  let ordersInDatabase = 0;
  let end: MemorySample | undefined;
  if (!serviceExit) {
    const final = await settledSnapshot(service);
    const loaded = new Set(dataset.orders.map((o) => o.id));
    conservation = checkStockConservation(productStocks(initial), productStocks(final), soldDuringSoak(final, loaded));
    ordersInDatabase = ordersPlacedDuringSoak(final, loaded);
    end = await memorySample(service, started);
  }
  const answered201 = placedAnswers(warmUp) + placedAnswers(soak);
  const checks = soakChecks({
    runs: [warmUp, soak],
    conservation,
    serviceExit,
    ordersInDatabase,
    placedAnswers: answered201,
    // autocannon stops with up to one request in flight per connection, twice (warm-up, soak).
    inFlightAllowance: 2 * connections,
  });
  return {
    dataset: {
      customers: dataset.customers.length,
      orders: dataset.orders.length,
      products: tiers.map((t) => ({ ...t, sku: dataset.products.find((p) => p.id === t.productId)!.sku })),
    },
    warmUp,
    soak,
    loadAfter,
    memory: { start, end, samples: end ? [...samples, end] : samples },
    stock: conservation,
    orders: { inDatabase: ordersInDatabase, answered201 },
    checks,
  };
}

export async function runSoak(options: SoakOptions, cleanups?: Cleanups): Promise<SoakBench> {
  const loadBefore = loadavg()[0]!;
  const date = new Date().toISOString();
  say(`starting the ${options.backend} engine`);
  const provider = await databaseProvider({ backend: options.backend, databaseUrl: options.databaseUrl, cleanups }, (line) => console.error(line), say);
  let database: Awaited<ReturnType<typeof provider.forService>> | undefined;
  let service: ServiceProcess | undefined;
  let generator: LoadGenerator | undefined;
  try {
    database = await provider.forService();
    service = await startService({ variant: options.variant, backend: provider.engine.backend, postgres: database.target });
    generator = startLoadGenerator();
    const measured = await soakOn(service, generator, options);
    const { loadAfter, ...rest } = measured;
    return {
      date,
      command: options.command,
      commit: gitState(resolve(__dirname, '../..')).commit,
      node: process.version,
      cores: availableParallelism(),
      loadAverage: { before: loadBefore, after: loadAfter },
      backend: provider.engine.backend,
      engineFallback: provider.engine.fallback,
      databaseVersion: service.databaseVersion,
      variant: options.variant,
      settings: { seconds: options.seconds, rate: options.rate, connections: SOAK_DEFAULTS.connections, warmUpSeconds: SOAK_DEFAULTS.warmUpSeconds, seed: SOAK_DEFAULTS.seed },
      weights: { ...SOAK_WEIGHTS },
      ...rest,
      passed: rest.checks.every((c) => c.ok),
    };
  } finally {
    generator?.stop();
    await service?.stop();
    await database?.drop().catch(() => {});
    await provider.close();
  }
}

export async function main(argv: string[], { env, cleanups }: CommandContext): Promise<number> {
  let options: SoakOptions | 'help';
  try {
    options = parseSoakOptions(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`bench:soak: ${err.message} (npm run bench:soak -- --help for the options)`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const bench = await runSoak(options, cleanups);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(`${options.out}.json`, JSON.stringify(bench, null, 2) + '\n');
  writeFileSync(`${options.out}.md`, renderSoak(bench));
  console.log(`\n${renderSoak(bench)}`);
  console.log(`Report: ${options.out}.md (and .json)`);
  return bench.passed ? 0 : 1;
}

if (require.main === module) runCommand('bench:soak', main);
