// The soak's report: what ran on what machine, the checks, the traffic, the stock and the
// service's memory. Every number comes from the run's JSON (SoakBench); nothing is typed in.
import { bytes, count, duration, ms, rps } from '../report/format';
import { describeLoad } from './machine-load';
import type { BackendName } from '../db/backends';
import type { MixResult } from '../load-mix';
import { classify, type Check, type Conservation } from './soak-checks';
import type { StockTier } from './soak-plan';

export interface MemorySample {
  /** Seconds since the soak's traffic started (after the warm-up). */
  atSeconds: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface SoakBench {
  date: string;
  command: string;
  commit: string;
  node: string;
  cores: number;
  /** The machine's 1-minute load average before and after: other work skews the latencies. */
  loadAverage: { before: number; after: number };
  backend: BackendName;
  engineFallback?: string;
  databaseVersion: string;
  variant: string;
  settings: { seconds: number; rate: number; connections: number; warmUpSeconds: number; seed: number };
  dataset: { customers: number; orders: number; products: { productId: number; sku: string; tier: StockTier; stock: number | null }[] };
  weights: Record<string, number>;
  warmUp: MixResult;
  soak: MixResult;
  /** The service process's memory: after the warm-up, every few seconds, and at the end. */
  memory: { start?: MemorySample; end?: MemorySample; samples: MemorySample[] };
  stock: Conservation;
  orders: { inDatabase: number; answered201: number };
  checks: Check[];
  passed: boolean;
}

function trafficRows(warmUp: MixResult, soak: MixResult, rate: number): string[] {
  const row = (label: string, value: (run: MixResult) => string) => `| ${label} | ${value(warmUp)} | ${value(soak)} |`;
  const cls = (run: MixResult) => classify(run.statusCodes);
  return [
    '| Measure | Warm-up | Soak |',
    '| --- | --- | --- |',
    row('Duration', (r) => duration(r.seconds * 1000)),
    row('Requests answered', (r) => count(r.requests)),
    row(`Requests per second (bounded at ${rate})`, (r) => rps(r.rps)),
    row('Latency p50 / p90 / p99 / max', (r) => `${ms(r.latency.p50)} / ${ms(r.latency.p90)} / ${ms(r.latency.p99)} / ${ms(r.latency.max)} ms`),
    row('2xx', (r) => count(cls(r).success)),
    row('409 (out of stock)', (r) => count(cls(r).outOfStock)),
    row('Other 4xx', (r) => count(cls(r).otherClientErrors)),
    row('5xx', (r) => count(cls(r).serverErrors)),
    row('Connection errors / timeouts', (r) => `${count(r.errors)} / ${count(r.timeouts)}`),
  ];
}

function shapeRows(bench: SoakBench): string[] {
  const statuses = [...new Set([...Object.keys(bench.warmUp.statusCodes), ...Object.keys(bench.soak.statusCodes)])].sort();
  return [
    `| Shape | Weight | ${statuses.join(' | ')} |`,
    `| --- | --- | ${statuses.map(() => '---').join(' | ')} |`,
    ...Object.entries(bench.weights).map(([shape, weight]) => `| ${shape} | ${weight} | ${statuses.map((s) => count(bench.soak.byShape[shape]?.[s] ?? 0)).join(' | ')} |`),
  ];
}

function stockRows(bench: SoakBench): string[] {
  const tierOf = new Map(bench.dataset.products.map((p) => [p.productId, p.tier]));
  const lines = [...bench.stock.limited, ...bench.stock.unlimited];
  const show = (value: number | null) => (value === null ? 'unlimited' : count(value));
  return [
    '| Product | Tier | Stock at start | Units sold | Stock at end | Start − sold − end |',
    '| --- | --- | --- | --- | --- | --- |',
    ...lines.map((l) => {
      const rest = l.initial === null || l.current === null ? '—' : count(l.initial - l.sold - l.current);
      return `| ${l.sku} | ${tierOf.get(l.productId) ?? '?'} | ${show(l.initial)} | ${count(l.sold)} | ${show(l.current)} | ${rest} |`;
    }),
  ];
}

function memoryRows(memory: SoakBench['memory']): string[] {
  const peak = memory.samples.reduce<MemorySample | undefined>((top, s) => (!top || s.rss > top.rss ? s : top), undefined);
  const row = (label: string, s: MemorySample | undefined) => `| ${label} | ${bytes(s?.rss)} | ${bytes(s?.heapUsed)} | ${bytes(s?.heapTotal)} | ${bytes(s?.external)} |`;
  return [
    '| Service process | RSS | Heap used | Heap total | External |',
    '| --- | --- | --- | --- | --- |',
    row('start (after the warm-up)', memory.start),
    row('end', memory.end),
    row(`highest RSS of ${memory.samples.length} samples${peak ? ` (at ${duration(peak.atSeconds * 1000)})` : ''}`, peak),
  ];
}

export function renderSoak(bench: SoakBench): string {
  const { settings } = bench;
  const soldOut = bench.stock.limited.filter((l) => l.current === 0).length;
  const { start, end } = bench.memory;
  const growth = start && end ? `RSS ${end.rss >= start.rss ? '+' : '−'}${bytes(Math.abs(end.rss - start.rss))}, heap used ${end.heapUsed >= start.heapUsed ? '+' : '−'}${bytes(Math.abs(end.heapUsed - start.heapUsed))} from start to end.` : 'No start and end sample to compare.';
  const failed = bench.checks.filter((c) => !c.ok);
  return [
    '# Soak benchmark',
    '',
    `\`${bench.command}\`, ${bench.date}, commit ${bench.commit}, Node ${bench.node}, ${bench.cores} cores, ${describeLoad(bench.loadAverage, bench.cores, 'the service', 2)}.`,
    `Engine: ${bench.databaseVersion} (backend \`${bench.backend}\`)${bench.engineFallback ? `; fell back: ${bench.engineFallback}` : ''}. Variant: \`${bench.variant}\`.`,
    `Traffic: ${settings.seconds} s of mixed reads and writes at a bounded ${settings.rate} req/s over ${settings.connections} connections (autocannon, in its own process), ` +
      `after a ${settings.warmUpSeconds} s warm-up of the same mix; a shop of ${bench.dataset.customers} customers, ${bench.dataset.orders} orders and ${bench.dataset.products.length} products.`,
    'Reproduce: `npm run bench:soak` (options: `--help`).',
    '',
    '## Checks',
    '',
    '| Check | Result | Detail |',
    '| --- | --- | --- |',
    ...bench.checks.map((c) => `| ${c.name} | ${c.ok ? 'pass' : '**FAIL**'} | ${c.detail.replace(/\|/g, '\\|')} |`),
    '',
    failed.length ? `**Failed:** ${failed.map((c) => c.name).join(', ')}.` : '**Every check passed.**',
    '',
    '## Traffic',
    '',
    ...trafficRows(bench.warmUp, bench.soak, settings.rate),
    '',
    'Latency: every answer as autocannon timed it, 409s included, with no coordinated-omission correction (see harness/load-mix.ts). Answers by shape during the soak:',
    '',
    ...shapeRows(bench),
    '',
    '## Stock',
    '',
    `Products in four tiers, stocked so that scarce and limited ones sell out during the run (the out-of-stock path, 409) and ample and unlimited ones do not. ` +
      `${soldOut} of ${bench.stock.limited.length} products with a stock sold out. ` +
      `${bench.orders.inDatabase} orders were placed (warm-up included), ${bench.orders.answered201} of them answered 201 before the load stopped. ` +
      'Units sold count every order placed during the run, cancelled and deleted ones included: no variant of the lab gives stock back on cancel.',
    '',
    ...stockRows(bench),
    '',
    '## Memory',
    '',
    ...memoryRows(bench.memory),
    '',
    growth,
    '',
  ].join('\n');
}
