// The scenario report as JSON: what the harness writes (harness/scenario.ts narrows these types
// to its own backends and scales), what GET /reports/latest.json serves, and what the web page
// draws. Also the verdicts with one meaning each, so the markdown legend and the page's legend
// cannot say different things. Pure types and constants, so the page's bundle takes it as it is.

export const VERDICTS = ['PASS', 'FAIL', 'INCONCLUSIVE', 'ERROR', 'TIMEOUT'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What each verdict means, in the words every legend uses. */
export const VERDICT_MEANING: Record<Verdict, string> = {
  PASS: 'the behaviour is correct',
  FAIL: 'the scenario reproduced the bug',
  INCONCLUSIVE: 'this backend cannot show it',
  ERROR: 'the scenario itself failed',
  TIMEOUT: 'it ran past its time limit',
};

export interface ShapeCount {
  shape: string;
  count: number;
}

export interface ScalingPoint {
  size: number;
  label: string;
  queries: number;
  ms: number;
}

export interface Scaling {
  title: string;
  points: ScalingPoint[];
  growth: 'constant' | 'grows';
}

export interface LatencyStats {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rps: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface LoadMeasurement {
  /** What was loaded: the scenario's endpoint, or the floor (one trivial query). */
  label: string;
  path: string;
  size: string;
  rounds: LatencyStats[];
  /** Per-field median of the rounds. */
  median: LatencyStats;
  /** The floor's median from the same interleaved rounds, when measured. */
  floor?: LatencyStats;
}

export interface RaceTrial {
  initialStock: number;
  requests: number;
  accepted: number;
  rejected: number;
  /** Timed out or failed without an answer: maybe sold. */
  unknown: number;
  unitsSold: number;
  finalStock: number;
  oversold: number;
  /** initial = remaining + sold, and stock never negative. */
  conserved: boolean;
  /** When the orders were split over several service processes: the 201s each one gave. */
  acceptedByProcess?: number[];
}

export interface Evidence {
  requests: { method: string; path: string; status: number; queries?: number; ms: number }[];
  observations: { label: string; value: string | number | boolean | null }[];
  tables: { title: string; columns: string[]; rows: (string | number | boolean | null)[][] }[];
  shapes: { request: string; total: number; shapes: ShapeCount[] }[];
  scaling: Scaling[];
  load: LoadMeasurement[];
  race: RaceTrial[];
  /** Evidence this backend cannot make representative, and why. */
  caveats: string[];
}

/** One scenario on one variant. */
export interface ReportResult {
  scenario: string;
  title: string;
  teaches: string;
  /** false: a check any correct change keeps, not a bug's repro (harness/scenario.ts). */
  reproducesBug: boolean;
  variant: string;
  verdict: Verdict;
  reason: string;
  /** The backend that settles an INCONCLUSIVE. */
  settleWith?: string;
  /** Set on a FAIL that endangers data or other shops. */
  hazard?: string;
  durationMs: number;
  steps: { title: string; ms: number }[];
  evidence: Evidence;
}

export interface ReportHeader {
  date: string;
  commit: string;
  /** The tracked files that differed from the commit, when any did. */
  uncommitted?: string[];
  node: string;
  databaseVersion: string;
  /** The backend the run used: the one asked for, or pg-mem when embedded could not start. */
  backend: string;
  /** Why the run is on pg-mem when another backend was asked for, and what that cannot show. */
  engineFallback?: string;
  /** What the server's authentication lets in, found by trying a wrong password (PostgreSQL only). */
  databaseAuth?: string;
  /** The variants in the order the run took them. */
  variants: string[];
  cores: number;
  scale: string;
  seed: number;
  duration: number;
  connections: number;
  trials: number;
  /** Service processes a race was split over, when more than one (--processes). */
  processes?: number;
  command: string;
  /** What confined the code under test, as measured: whose user it ran as, what it could not reach (absent in older reports). */
  isolation?: string;
}

export interface Report {
  header: ReportHeader;
  scenarios: string[];
  results: ReportResult[];
  /** false while the run is still going (or was interrupted). */
  complete: boolean;
  totalMs?: number;
}
