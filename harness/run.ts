// Runs scenarios against variants, each in a fresh service process, and collects their results.
// This is the programmatic API: everything that runs scenarios, the CLI and the tests included, calls runScenarios.
import { sweepStaleSchemas } from './db/lab-schemas';
import { createSchema, fallbackWarning, PG_MEM_CANNOT_SHOW, probeAuthentication, realPostgres, startEngine, type BackendName, type EmbeddedServer, type Engine } from './db/backends';
import { describeHits, type GapHit } from './db/pg-mem-gaps';
import { startLoadGenerator, type LoadGenerator } from './load';
import { createContext } from './context/index';
import { REQUEST_TIMEOUT_MS } from './context/http';
import { emptyEvidence } from './context/evidence';
import { Cleanups } from './interrupt';
import { isExpectedVerdict, roleInRun } from './roles';
import type { Confinement } from './sandbox';
import { describeServerErrors, withServerErrors, type ServerError } from './server-errors';
import { startService, type ServiceProcess } from './service-process';
import type { Evidence, Outcome, RunHeader, RunResult, Scale, Scenario, ScenarioOptions, ScenarioResult } from './scenario';

export const DEFAULT_TIMEOUT_MS = 90_000;
/** Time limits grow with the data: a scenario at large scale does about ten times the work. */
const TIMEOUT_FACTOR: Record<Scale, number> = { small: 1, medium: 2, large: 4 };

export interface RunOptions extends ScenarioOptions {
  scenarios: Scenario[];
  variants: string[];
  backend: BackendName;
  databaseUrl: string;
  /**
   * On PostgreSQL, each service process logs in as a role of its own that reaches only its own
   * schema, so the code under test never holds the credentials in databaseUrl. Needs CREATEROLE.
   */
  isolateCredentials?: boolean;
  /**
   * By variant: how its service processes are confined, for code written by someone else; a
   * variant without an entry runs as the user who runs the scenarios.
   */
  confinement?: Record<string, Confinement>;
  /**
   * The database server, already started (the CLI starts it first, to name the report after what
   * runs); the run stops it when done. Without it the run starts one for `backend`.
   */
  engine?: Engine;
  /** How the run starts an embedded server when it starts one itself (tests inject a failing one). */
  startEmbedded?: () => Promise<EmbeddedServer>;
  /** Where the run registers what Ctrl-C must undo (schemas, servers): the command's (harness/interrupt.ts). */
  cleanups?: Cleanups;
}

export type Progress =
  | { kind: 'start'; scenario: string; variant: string; index: number; total: number }
  | { kind: 'step'; scenario: string; variant: string; step: string; elapsedMs: number }
  | { kind: 'result'; result: ScenarioResult; index: number; total: number }
  /** Something the run did that the user should know of (a sweep of stale schemas). */
  | { kind: 'notice'; message: string };

export interface RunHooks {
  onProgress?: (progress: Progress) => void;
  /** Called after every result, with the run so far: write it, so an interrupted run keeps it. */
  onResult?: (run: RunResult) => void;
  /** The one line saying the run fell back to pg-mem, and why (default: written to stderr). */
  onFallback?: (line: string) => void;
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`no verdict within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Where each service process keeps its data: a fresh schema per process on PostgreSQL. The server
 * is the one given, or started here; when the embedded one cannot start, the run is on pg-mem.
 * What it creates is dropped by `drop` and `close`, or, on Ctrl-C, by the command's `cleanups`.
 */
export async function databaseProvider(
  options: Pick<RunOptions, 'engine' | 'backend' | 'databaseUrl' | 'startEmbedded' | 'isolateCredentials' | 'cleanups'>,
  onFallback: (line: string) => void,
  notice: (message: string) => void,
) {
  let engine = options.engine;
  if (!engine) {
    engine = await startEngine(options.backend, { databaseUrl: options.databaseUrl, startEmbedded: options.startEmbedded });
    const warning = fallbackWarning(engine);
    if (warning) onFallback(warning);
  }
  const cleanups = options.cleanups ?? new Cleanups();
  const close = cleanups.untilDone(engine.stop);
  const { url } = engine;
  if (!url) return { engine, authentication: undefined, forService: async () => ({ target: undefined, drop: async () => {} }), close };
  // A server of the user's may hold schemas of lab runs that were killed; a fresh embedded one cannot.
  if (engine.backend === 'postgres') {
    const swept = await sweepStaleSchemas(url);
    if (swept.length) notice(`dropped ${swept.length} schema(s) left by lab runs that were killed: ${swept.join(', ')}`);
  }
  return {
    engine,
    authentication: await probeAuthentication(url),
    forService: async () => {
      const schema = await createSchema(url, { ownRole: options.isolateCredentials });
      return { target: { url: schema.url, schema: schema.schema }, drop: cleanups.untilDone(schema.drop) };
    },
    close,
  };
}

type Concluded = Pick<ScenarioResult, 'verdict' | 'reason' | 'settleWith' | 'hazard'> & { holdsDespite?: readonly string[] };

/**
 * A failure on pg-mem after the code under test ran SQL that pg-mem refuses or computes wrongly
 * says nothing about the code: it becomes INCONCLUSIVE, naming what pg-mem got wrong. A PASS stays
 * a PASS, with a caveat; an INCONCLUSIVE keeps its reason and gains the gap.
 */
async function unlessEngineGap({ holdsDespite = [], ...outcome }: Concluded, backend: BackendName, service: ServiceProcess | undefined, evidence: Evidence): Promise<Concluded> {
  if (backend !== 'pg-mem' || !service) return outcome;
  const hits = await service.ask<GapHit[]>({ type: 'engine-gaps' }).catch((): GapHit[] => []);
  if (hits.length === 0) return outcome;
  for (const hit of hits) evidence.observations.push({ label: `SQL pg-mem gets wrong (${hit.id}, ${hit.statements} statement(s)), e.g.`, value: hit.example });
  const used = `the code used ${describeHits(hits)}`;
  if (outcome.verdict === 'PASS') {
    evidence.caveats.push(`${used}: this PASS is pg-mem's, check it on a real PostgreSQL.`);
    return outcome;
  }
  if (outcome.verdict === 'INCONCLUSIVE') return { ...outcome, reason: `${outcome.reason}; besides, ${used}` };
  // Another shop's rows in an answer, or data destroyed, was seen, whatever pg-mem computed.
  if (outcome.verdict === 'FAIL' && outcome.hazard) return { ...outcome, reason: `${outcome.reason} (seen on pg-mem, which ${used})` };
  // The scenario showed the failure cannot come from what pg-mem got wrong here.
  if (outcome.verdict === 'FAIL' && hits.every((hit) => holdsDespite.includes(hit.id))) return { ...outcome, reason: `${outcome.reason} (on pg-mem, which ${used}: that cannot cause this failure)` };
  const settleWith = realPostgres();
  const said = `${outcome.verdict}${outcome.hazard ? ` (${outcome.hazard})` : ''}: ${outcome.reason}`;
  return {
    verdict: 'INCONCLUSIVE',
    reason: `pg-mem cannot decide: ${used}; run with --db ${settleWith} to settle it; pg-mem would have said: ${said}`,
    settleWith,
  };
}

async function runOne(
  scenario: Scenario,
  variant: string,
  options: RunOptions,
  provider: Awaited<ReturnType<typeof databaseProvider>>,
  load: () => LoadGenerator,
  onProgress: RunHooks['onProgress'],
): Promise<{ result: ScenarioResult; databaseVersion?: string }> {
  const evidence = emptyEvidence();
  const serverErrors: ServerError[] = [];
  const steps: ScenarioResult['steps'] = [];
  const started = performance.now();
  const base = { scenario: scenario.id, title: scenario.title, teaches: scenario.teaches, reproducesBug: scenario.reproducesBug ?? true, variant, steps, evidence };
  const finish = (outcome: Concluded) => ({ ...base, ...outcome, durationMs: performance.now() - started });

  const database = await provider.forService();
  let service: ServiceProcess | undefined;
  const siblings: ServiceProcess[] = [];
  try {
    const confinement = options.confinement?.[variant];
    service = await startService({ variant, backend: options.backend, postgres: database.target, confinement });
    const ctx = createContext({
      service,
      options,
      evidence,
      serverErrors,
      steps,
      load,
      started,
      requestTimeoutMs: REQUEST_TIMEOUT_MS * TIMEOUT_FACTOR[options.scale],
      report: (step, elapsedMs) => onProgress?.({ kind: 'step', scenario: scenario.id, variant, step, elapsedMs }),
      startSibling: async () => {
        if (!database.target) return null;
        const sibling = await startService({ variant, backend: options.backend, postgres: database.target, confinement });
        siblings.push(sibling);
        return sibling;
      },
    });
    const limit = (scenario.timeoutMs ?? DEFAULT_TIMEOUT_MS) * TIMEOUT_FACTOR[options.scale];
    const outcome: Outcome = withServerErrors(await withTimeout(scenario.run(ctx), limit), serverErrors);
    return { result: finish(await unlessEngineGap(outcome, options.backend, service, evidence)), databaseVersion: service.databaseVersion };
  } catch (err) {
    // A request that failed because the process died arrives before the process's exit event.
    const died = await service?.exitReason(1_000);
    const crashes = serverErrors.length ? `; ${describeServerErrors(serverErrors)}` : '';
    const outcome: Concluded =
      err instanceof TimeoutError
        ? { verdict: 'TIMEOUT', reason: `${err.message}${died ? `; ${died}` : ''}${crashes}` }
        : { verdict: 'ERROR', reason: `${died ?? (err as Error).message ?? String(err)}${crashes}` };
    return { result: finish(await unlessEngineGap(outcome, options.backend, died ? undefined : service, evidence)) };
  } finally {
    await Promise.all([service?.stop(), ...siblings.map((sibling) => sibling.stop())]);
    await database.drop().catch(() => {});
  }
}

export async function runScenarios(options: RunOptions, header: Omit<RunHeader, 'databaseVersion'>, hooks: RunHooks = {}): Promise<RunResult> {
  const started = performance.now();
  const run: RunResult = {
    header: { ...header, databaseVersion: 'unknown' },
    scenarios: options.scenarios.map((s) => s.id),
    results: [],
    complete: false,
  };
  const provider = await databaseProvider(
    options,
    hooks.onFallback ?? ((line) => void process.stderr.write(`${line}\n`)),
    (message) => hooks.onProgress?.({ kind: 'notice', message }),
  );
  // What runs from here on is the engine that started, whatever was asked for.
  options = { ...options, backend: provider.engine.backend };
  run.header.backend = provider.engine.backend;
  if (provider.engine.fallback) run.header.engineFallback = `${provider.engine.fallback}; pg-mem cannot show ${PG_MEM_CANNOT_SHOW}`;
  if (provider.authentication) run.header.databaseAuth = provider.authentication;
  let generator: LoadGenerator | undefined;
  const load = () => (generator ??= startLoadGenerator());
  const total = options.scenarios.length * options.variants.length;
  try {
    for (const scenario of options.scenarios) {
      for (const variant of options.variants) {
        const index = run.results.length + 1;
        hooks.onProgress?.({ kind: 'start', scenario: scenario.id, variant, index, total });
        const { result, databaseVersion } = await runOne(scenario, variant, options, provider, load, hooks.onProgress);
        if (databaseVersion) run.header.databaseVersion = databaseVersion;
        run.results.push(result);
        hooks.onProgress?.({ kind: 'result', result, index, total });
        hooks.onResult?.(run);
      }
    }
  } finally {
    generator?.stop();
    await provider.close();
  }
  run.complete = true;
  run.totalMs = performance.now() - started;
  hooks.onResult?.(run);
  return run;
}

/**
 * Did every scenario give a verdict its variant's role expects (harness/roles.ts)? Side by side, the
 * configured variants play their roles; run alone, a variant is the code under test and must pass.
 */
export function behavedAsExpected(run: RunResult): boolean {
  return run.results.every((result) =>
    isExpectedVerdict(roleInRun(result.variant, run.header.variants), result.verdict, run.header.backend, result),
  );
}
