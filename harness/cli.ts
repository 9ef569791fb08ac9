// `npm run scenario`: the only place a harness run reads argv and the environment.
import { appendFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { BACKENDS, DEFAULT_BACKEND, fallbackWarning, startEngine, type BackendName, type EmbeddedServer } from './db/backends';
import { duration } from './report/format';
import { collectHeader } from './report/header';
import { renderVerdictSummary } from './report/markdown';
import { writeReport } from './report/write';
import type { Cleanups } from './interrupt';
import { behavedAsExpected, runScenarios, type Progress } from './run';
import { labConfig } from './roles';
import { DEFAULT_DATABASE_URL, oneOf, parseFlags, positiveNumber, readEnvironment, RUN_DEFAULTS, RUN_SETTING_OPTIONS, runCommand, runSettings, UsageError, type LabEnvironment } from './settings';
import type { RunResult, Scale, Scenario } from './scenario';
import { variantPath, VariantLoadError } from '../variants/load';
import { SCENARIOS } from '../scenarios/index';

/** The variants the lab's configuration names (harness/roles.ts), in the order a side-by-side run takes them. */
const CONFIGURED = labConfig().variants.map((v) => v.id);

export const DEFAULTS = {
  /** Every configured variant, side by side. */
  variant: 'both',
  db: DEFAULT_BACKEND,
  ...RUN_DEFAULTS,
  processes: 1,
};

export const MAX_PROCESSES = 8;

/** Why --processes above 1 cannot run on pg-mem, for the usage error and the tests. */
export const PG_MEM_ONE_PROCESS = 'pg-mem keeps its database inside one service process, so no second process can share it';

const USAGE = `usage: npm run scenario -- [all | <scenario> ...] [options]

scenarios: ${SCENARIOS.map((s) => s.id).join(', ')}
options:
  --variant ${CONFIGURED.length > 1 ? [...CONFIGURED, 'both'].join('|') : CONFIGURED.join('|')}|<folder>  what to run (default ${CONFIGURED.length > 1 ? `both: ${CONFIGURED.join(' and ')} side by side` : CONFIGURED.join('')})
  --db pg-mem|postgres|embedded          backend (default ${DEFAULTS.db}${DEFAULTS.db === 'embedded' ? ', a PostgreSQL npm installed; pg-mem when it cannot start' : ''};
                                         postgres reads DATABASE_URL, default ${DEFAULT_DATABASE_URL})
  --scale small|medium|large             data sizes (default ${DEFAULTS.scale})
  --duration <seconds>                   per load round, fractions allowed (default ${DEFAULTS.duration})
  --connections <n>                      load connections (default ${DEFAULTS.connections})
  --trials <n>                           race repetitions (default ${DEFAULTS.trials})
  --processes <n>                        service processes on one database that each race of orders is
                                         split over, as behind a load balancer (default 1, at most
                                         ${MAX_PROCESSES}; needs a database server, not pg-mem)
  --seed <n>                             data seed (default ${DEFAULTS.seed})
  --out <path>                           report path without extension (default reports/<db>-<scope>)
  --summary <file>                       also append the verdict matrix to <file>, in markdown (a CI
                                         job summary: --summary "$GITHUB_STEP_SUMMARY")
exit codes: 0 every scenario behaved as expected, 1 some did not, 2 usage or harness error`;

export { UsageError };

export interface CliOptions {
  scenarios: Scenario[];
  variants: string[];
  backend: BackendName;
  scale: Scale;
  duration: number;
  connections: number;
  trials: number;
  seed: number;
  /** Service processes on one database that a race is split over. */
  processes: number;
  out: string;
  /** No --out: the report is named after the backend that runs, which a fallback changes. */
  outByBackend: boolean;
  scope: string;
  databaseUrl: string;
  /** A file the verdict matrix is appended to (a CI job summary). */
  summary?: string;
}

export const reportPath = (backend: BackendName, scope: string) => resolve(`reports/${backend}-${scope}`);

export function parseCli(argv: string[], env: LabEnvironment = readEnvironment()): CliOptions {
  const { values, positionals } = parseFlags(
    argv,
    {
      variant: { type: 'string' },
      db: { type: 'string' },
      ...RUN_SETTING_OPTIONS,
      processes: { type: 'string' },
      out: { type: 'string' },
      summary: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    { positionals: true },
  );
  if (values.help) throw new UsageError('');

  const available = SCENARIOS;
  const names = positionals.length === 0 || positionals.includes('all') ? available.map((s) => s.id) : positionals;
  const scenarios = names.map((name) => {
    const found = available.find((s) => s.id === name);
    if (!found) throw new UsageError(`unknown scenario "${name}"; choose from: all, ${available.map((s) => s.id).join(', ')}`);
    return found;
  });

  const variant = values.variant ?? DEFAULTS.variant;
  let variants: string[];
  if (variant === 'all' || variant === 'both') variants = [...CONFIGURED];
  else {
    try {
      variantPath(variant);
    } catch (err) {
      if (err instanceof VariantLoadError) throw new UsageError(`--variant: ${err.message} (or all)`);
      throw err;
    }
    variants = [variant];
  }

  const backend = oneOf('db', values.db, BACKENDS, DEFAULTS.db);
  const processes = positiveNumber('processes', values.processes, DEFAULTS.processes, MAX_PROCESSES);
  if (processes > 1 && backend === 'pg-mem') throw new UsageError(`--processes ${processes} needs a database server: ${PG_MEM_ONE_PROCESS}; use --db embedded or --db postgres`);
  const scope = positionals.length === 0 || positionals.includes('all') ? 'all' : names.join('+');
  return {
    scenarios,
    variants,
    backend,
    ...runSettings(values),
    processes,
    out: values.out === undefined ? reportPath(backend, scope) : resolve(values.out),
    outByBackend: values.out === undefined,
    scope,
    databaseUrl: env.databaseUrl,
    summary: values.summary === undefined ? undefined : resolve(values.summary),
  };
}

/** A line per scenario started and finished, and notices; `steps`: each repro step as well. */
export function printProgress(progress: Progress, { steps = true } = {}): void {
  if (progress.kind === 'start') {
    process.stderr.write(`[${progress.index}/${progress.total}] ${progress.scenario} · ${progress.variant}\n`);
  } else if (progress.kind === 'step') {
    if (steps) process.stderr.write(`    ${progress.step}  (${duration(progress.elapsedMs)})\n`);
  } else if (progress.kind === 'result') {
    const { result } = progress;
    process.stderr.write(`    => ${result.verdict}: ${result.reason}  (${duration(result.durationMs)})\n`);
  } else {
    process.stderr.write(`${progress.message}\n`);
  }
}

export function verdictMatrix(run: RunResult): string {
  const variants = run.header.variants;
  const width = Math.max(...run.scenarios.map((s) => s.length), 'scenario'.length);
  const lines = [['scenario'.padEnd(width), ...variants.map((v) => v.padEnd(12))].join('  ')];
  for (const scenario of run.scenarios) {
    const cells = variants.map((variant) => (run.results.find((r) => r.scenario === scenario && r.variant === variant)?.verdict ?? '—').padEnd(12));
    lines.push([scenario.padEnd(width), ...cells].join('  '));
  }
  return lines.join('\n');
}

export interface CliDeps {
  /** How an embedded server starts (tests inject one that fails, to see the fallback). */
  startEmbedded?: () => Promise<EmbeddedServer>;
  /** The environment, read once by the entry point (default: this process's). */
  env?: LabEnvironment;
  /** Where the run registers what Ctrl-C must undo. */
  cleanups?: Cleanups;
}

export async function main(argv: string[], deps: CliDeps = {}): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCli(argv, deps.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) console.error(`scenario: ${err.message}\n`);
    console.error(USAGE);
    return err.message ? 2 : 0;
  }
  const header = await collectHeader({
    backend: options.backend,
    databaseVersion: 'unknown',
    variants: options.variants,
    scale: options.scale,
    seed: options.seed,
    duration: options.duration,
    connections: options.connections,
    trials: options.trials,
    argv,
  });
  if (options.processes > 1) header.processes = options.processes;
  // Started here rather than by the run, so the report is named after the backend that runs.
  const engine = await startEngine(options.backend, { databaseUrl: options.databaseUrl, startEmbedded: deps.startEmbedded });
  const warning = fallbackWarning(engine);
  if (warning) console.error(warning);
  if (options.processes > 1 && engine.backend === 'pg-mem') console.error(`--processes ${options.processes}: ${PG_MEM_ONE_PROCESS}; the races run on one, and their reports say so`);
  if (options.outByBackend) options.out = reportPath(engine.backend, options.scope);
  const outDir = resolve(options.out, '..');
  const name = options.out.slice(outDir.length + 1);
  const run = await runScenarios({ ...options, backend: engine.backend, engine, cleanups: deps.cleanups }, header, {
    onProgress: (progress) => printProgress(progress),
    onResult: (partial) => writeReport(outDir, name, partial),
  });
  console.log(`\n${verdictMatrix(run)}\n`);
  if (options.summary) appendFileSync(options.summary, renderVerdictSummary(run, `${relative(process.cwd(), options.out)}.md`));
  const expected = behavedAsExpected(run);
  console.log(expected ? 'Every scenario behaved as expected.' : 'Some scenarios did not behave as expected (see the report).');
  console.log(`Report: ${options.out}.md (and .json)`);
  console.log(`Total time: ${duration(run.totalMs ?? 0)}`);
  return expected ? 0 : 1;
}

if (require.main === module) runCommand('scenario', (argv, context) => main(argv, context));
