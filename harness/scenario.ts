// What a scenario is, what it gets to work with, and what it leaves behind. Scenarios import this
// file only: they act as HTTP clients of a service running in another process.
import type { Capabilities, BackendName } from './db/backends';
import type { Dataset, DatasetSpec } from './db/bulk-load';

export type { Dataset, LoadedOrder } from './db/bulk-load';
import type { ShapeCount } from './queries';
import type { LoadMeasurement, RaceTrial, ReportHeader, ReportResult, Report, Scaling } from '../service/shared/report';

// The report's JSON model lives with the service that serves it and the page that draws it.
export type { Evidence, LatencyStats, LoadMeasurement, RaceTrial, Scaling, ScalingPoint, Verdict } from '../service/shared/report';

/**
 * Failures that are worse than a bug left unfixed: a FAIL names the one it found, and it weighs
 * above every other result.
 */
export const HAZARDS = ['injection', 'cross-shop access', 'destroyed data'] as const;
export type Hazard = (typeof HAZARDS)[number];

/** What a scenario concludes; ERROR and TIMEOUT are the runner's to give. */
export type Outcome =
  | { verdict: 'PASS'; reason: string }
  /**
   * `hazard`: what the failure endangers beyond the incident itself, when it does.
   * `holdsDespite`: ids of pg-mem gaps (harness/db/pg-mem-gaps.ts) that cannot have caused this
   * failure, so that hitting them does not excuse it.
   */
  | { verdict: 'FAIL'; reason: string; hazard?: Hazard; holdsDespite?: readonly string[] }
  /** The backend cannot show the result: say why, and which --db settles it. */
  | { verdict: 'INCONCLUSIVE'; reason: string; settleWith: BackendName };

export const SCALES = ['small', 'medium', 'large'] as const;
export type Scale = (typeof SCALES)[number];

export interface ScenarioOptions {
  scale: Scale;
  /** Seconds per load round. */
  duration: number;
  connections: number;
  /** Repetitions of a race. */
  trials: number;
  seed: number;
  /**
   * Service processes on one database that a race's orders are split over, as behind a load
   * balancer (default 1). Needs a database server: pg-mem's lives inside one process.
   */
  processes?: number;
}

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  /** From Server-Timing; undefined when the service does not send it. */
  queries?: number;
  dbMs?: number;
  ms: number;
  requestId?: string;
}

export interface RequestOptions {
  tenant?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  /** Keep it out of the evidence (warm-ups, bulk checks). */
  quiet?: boolean;
}

export interface Http {
  get<T = any>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  post<T = any>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  patch<T = any>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
  delete<T = any>(path: string, options?: RequestOptions): Promise<HttpResponse<T>>;
}

export interface ScenarioContext {
  http: Http;
  /** `settleWith`: the real PostgreSQL to name in an INCONCLUSIVE, the one installed with the lab when it is. */
  backend: { name: BackendName; capabilities: Capabilities; settleWith: BackendName };
  options: ScenarioOptions;
  /** Runs one numbered repro step; its name shows in progress and in the report. */
  step<T>(title: string, run: () => Promise<T>): Promise<T>;
  /** A fresh shop created over HTTP, so nothing a scenario does touches another's data. */
  newTenant(label: string): Promise<string>;
  /** A shop filled by the bulk loader (variant-independent, fast); returns what it wrote. */
  load(spec: Omit<DatasetSpec, 'tenant'> & { label: string }): Promise<Dataset>;
  /** The three data sizes of the scaling table for the chosen --scale, smallest first. */
  sizes: readonly [number, number, number];
  /** Every row of a shop as the database has it, read in the service's process. */
  snapshot(tenant: string): Promise<TenantSnapshot>;
  /** The SQL a request ran, grouped into shapes; recorded as evidence. */
  queryShapes(response: HttpResponse, label: string): Promise<ShapeCount[]>;
  /**
   * Measures one request at three sizes (ctx.sizes unless given, counted in `unit`); recorded as
   * a scaling table.
   */
  scaling(title: string, measure: (size: number) => Promise<HttpResponse>, unit?: string, sizes?: readonly number[]): Promise<Scaling>;
  /**
   * Another process of the same service on the same database, as a second instance behind a load
   * balancer would be; stopped with the scenario. null on pg-mem, whose database lives inside one
   * process: a scenario that needs two should answer INCONCLUSIVE there.
   */
  secondService(): Promise<Http | null>;
  /** Autocannon from its own process, interleaved with the floor; recorded. */
  loadTest(label: string, path: string, tenant: string, size: string): Promise<LoadMeasurement>;
  observe(label: string, value: string | number | boolean | null): void;
  table(title: string, columns: string[], rows: (string | number | boolean | null)[][]): void;
  race(trial: RaceTrial): void;
  caveat(text: string): void;
}

export interface TenantSnapshot {
  customers: number;
  products: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  items: { order_id: number; product_id: number; quantity: number; unit_price_cents: number }[];
  /** The mail provider's outbox: every message that went out, including any for an order rolled back. */
  notifications: { order_id: number; kind: string; sent_at: string }[];
}

export interface Scenario {
  /** = file name = CLI argument = report anchor = the tag that marks its bug in the original code, where tags are kept. */
  id: string;
  /** The symptom, in one sentence. */
  title: string;
  /** What resolving it teaches, in a phrase. */
  teaches: string;
  /**
   * false for a check of behaviour any correct change must keep, rather than the repro of a bug in
   * the original code: the original may then give any verdict (harness/roles.ts). Default true.
   */
  reproducesBug?: boolean;
  /** Per-variant time limit (default 60 s). */
  timeoutMs?: number;
  run(ctx: ScenarioContext): Promise<Outcome>;
}

export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}

/** A result as the harness writes it: the report's, with its own backends and hazards. */
export interface ScenarioResult extends ReportResult {
  settleWith?: BackendName;
  /** Set on a FAIL that endangers data or other shops (see HAZARDS). */
  hazard?: Hazard;
}

export interface RunHeader extends ReportHeader {
  /** The backend the run used: the one asked for, or pg-mem when embedded could not start. */
  backend: BackendName;
  scale: Scale;
}

export interface RunResult extends Report {
  header: RunHeader;
  results: ScenarioResult[];
}
