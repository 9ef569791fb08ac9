// Does the quick start keep its promise? Runs `npm run scenario` as a newcomer would (every
// scenario, broken and fixed, default engine) in a child process, times it, reads its JSON report
// and writes reports/bench-quick-start.md and .json. Exits 1 when a goal is missed.
// `npm run bench:quick-start -- [--out reports/bench-quick-start] [any npm run scenario option after --]`
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { duration, ms, times } from '../report/format';
import { behavedAsExpected } from '../run';
import { describeLoad } from './machine-load';
import type { LoadMeasurement, RunResult } from '../scenario';
import { parseFlags, runCommand } from '../settings';
import { labVariant } from '../roles';

export const GOALS = {
  /** Wall time of the whole run, from the command to its exit. */
  maxSeconds: 60,
  /** p50 broken/fixed on each load endpoint. */
  minP50Ratio: 10,
};

/** The scenarios whose load test compares the two variants' latency. */
export const LOAD_SCENARIOS = ['summary-n-plus-one', 'analytics-load'] as const;

export interface EndpointRatio {
  scenario: string;
  load: string;
  p50Broken: number;
  p50Fixed: number;
  p99Broken: number;
  p99Fixed: number;
  p50Ratio: number;
  p99Ratio: number;
}

export interface QuickStartBench {
  date: string;
  command: string;
  exitCode: number | null;
  totalSeconds: number;
  /** The machine's 1-minute load average before and after: other work skews the timings. */
  loadAverage: { before: number; after: number };
  cores: number;
  backend: string;
  engineFallback?: string;
  databaseVersion: string;
  behavedAsExpected: boolean;
  verdicts: { scenario: string; variant: string; verdict: string }[];
  endpoints: EndpointRatio[];
  missed: string[];
}

function loadOf(run: RunResult, scenario: string, variant: string): LoadMeasurement | undefined {
  return run.results.find((r) => r.scenario === scenario && r.variant === variant)?.evidence.load[0];
}

/** The original and the reference ids, which the quick start compares. */
const labBaseline = (): [string, string] => [labVariant('original').id, labVariant('reference').id];

/** The ratios and the goals missed, from a run's report and its wall time. */
export function assess(run: RunResult, totalSeconds: number, exitCode: number | null): Pick<QuickStartBench, 'endpoints' | 'missed' | 'verdicts' | 'behavedAsExpected'> {
  const missed: string[] = [];
  const endpoints: EndpointRatio[] = [];
  const [original, reference] = labBaseline();
  for (const scenario of LOAD_SCENARIOS) {
    const broken = loadOf(run, scenario, original);
    const fixed = loadOf(run, scenario, reference);
    if (!broken || !fixed) {
      missed.push(`${scenario}: no load measurement for both ${original} and ${reference}`);
      continue;
    }
    const ratio = (a: number, b: number) => (b > 0 ? a / b : Infinity);
    const endpoint: EndpointRatio = {
      scenario,
      load: `${broken.label} (${broken.size})`,
      p50Broken: broken.median.p50,
      p50Fixed: fixed.median.p50,
      p99Broken: broken.median.p99,
      p99Fixed: fixed.median.p99,
      p50Ratio: ratio(broken.median.p50, fixed.median.p50),
      p99Ratio: ratio(broken.median.p99, fixed.median.p99),
    };
    endpoints.push(endpoint);
    if (!(endpoint.p50Ratio >= GOALS.minP50Ratio)) missed.push(`${scenario}: p50 broken/fixed ${times(endpoint.p50Ratio)}, below ${GOALS.minP50Ratio}x`);
  }
  if (totalSeconds > GOALS.maxSeconds) missed.push(`the run took ${duration(totalSeconds * 1000)}, over ${GOALS.maxSeconds} s`);
  const expected = behavedAsExpected(run);
  if (!expected || exitCode !== 0) missed.push(`the run did not behave as expected (exit code ${exitCode})`);
  if (run.header.engineFallback) missed.push(`the run fell back to pg-mem: ${run.header.engineFallback}`);
  const verdicts = run.results.map((r) => ({ scenario: r.scenario, variant: r.variant, verdict: r.verdict }));
  return { endpoints, missed, verdicts, behavedAsExpected: expected };
}

export function renderBench(bench: QuickStartBench): string {
  const variants = [...new Set(bench.verdicts.map((v) => v.variant))];
  const scenarios = [...new Set(bench.verdicts.map((v) => v.scenario))];
  return [
    '# Quick start benchmark',
    '',
    `\`${bench.command}\` in a child process, ${bench.date}, ${bench.cores} cores, ${describeLoad(bench.loadAverage, bench.cores, 'the run')}.`,
    `Engine: ${bench.databaseVersion} (backend \`${bench.backend}\`)${bench.engineFallback ? `; fell back: ${bench.engineFallback}` : ''}.`,
    'Reproduce: `npm run bench:quick-start`',
    '',
    `Goals: the whole run within ${GOALS.maxSeconds} s; p50 broken/fixed at least ${GOALS.minP50Ratio}x on both load endpoints.`,
    '',
    '| Measure | Value | Goal |',
    '| --- | --- | --- |',
    `| Total time | ${duration(bench.totalSeconds * 1000)} | at most ${GOALS.maxSeconds} s |`,
    ...bench.endpoints.flatMap((e) => [
      `| ${e.scenario}: p50 broken/fixed | ${times(e.p50Ratio)} (${ms(e.p50Broken)} / ${ms(e.p50Fixed)} ms) | at least ${GOALS.minP50Ratio}x |`,
      `| ${e.scenario}: p99 broken/fixed | ${times(e.p99Ratio)} (${ms(e.p99Broken)} / ${ms(e.p99Fixed)} ms) | reported |`,
    ]),
    `| Exit code | ${bench.exitCode} | 0 |`,
    '',
    bench.missed.length ? `**Missed:**\n\n${bench.missed.map((m) => `- ${m}`).join('\n')}` : '**Every goal met.**',
    '',
    '## Verdicts',
    '',
    `| Scenario | ${variants.join(' | ')} |`,
    `| --- | ${variants.map(() => '---').join(' | ')} |`,
    ...scenarios.map((s) => `| ${s} | ${variants.map((v) => bench.verdicts.find((r) => r.scenario === s && r.variant === v)?.verdict ?? '—').join(' | ')} |`),
    '',
  ].join('\n');
}

function runScenarioCommand(args: string[]): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    // Through npm, as the README tells a newcomer to run it.
    const child = spawn('npm', ['run', '--silent', 'scenario', '--', ...args], { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => resolvePromise(code));
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string', default: 'reports/bench-quick-start' } }, { positionals: true });
  const out = resolve(values.out);
  const report = join(mkdtempSync(join(tmpdir(), 'regression-lab-bench-')), 'run');
  const args = [...positionals, '--out', report];
  const before = loadavg()[0]!;
  const started = performance.now();
  const exitCode = await runScenarioCommand(args);
  const totalSeconds = (performance.now() - started) / 1000;
  const after = loadavg()[0]!;
  const run = JSON.parse(readFileSync(`${report}.json`, 'utf8')) as RunResult;
  const bench: QuickStartBench = {
    date: new Date().toISOString(),
    command: `npm run scenario${positionals.length ? ` -- ${positionals.join(' ')}` : ''}`,
    exitCode,
    totalSeconds,
    loadAverage: { before, after },
    cores: run.header.cores,
    backend: run.header.backend,
    engineFallback: run.header.engineFallback,
    databaseVersion: run.header.databaseVersion,
    ...assess(run, totalSeconds, exitCode),
  };
  writeFileSync(`${out}.json`, JSON.stringify(bench, null, 2) + '\n');
  writeFileSync(`${out}.md`, renderBench(bench));
  console.log(`\n${renderBench(bench)}`);
  console.log(`Bench: ${out}.md (and .json)`);
  return bench.missed.length ? 1 : 0;
}

if (require.main === module) runCommand('bench:quick-start', main, { interrupted: 'the scenario run cleans up after itself' });
