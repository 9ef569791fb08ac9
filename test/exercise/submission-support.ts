// Hand-made submissions for the submission checks: an export written to a temporary folder, edited
// the way a candidate would, and the rubric of a hand-made run, so nothing here starts a service.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackendName } from '../../harness/db/backends';
import type { Evidence, LatencyStats, RunResult, ScenarioResult, Verdict } from '../../harness/scenario';
import { buildExport } from '../../exercise/export';
import { FULL_ASSIGNMENT, type Assignment } from '../../exercise/parts';
import { compareRun, type Review } from '../../exercise/rubric';
import type { SubmissionFindings, SubmissionInput } from '../../exercise/submission/index';

export const CANDIDATE = 'cand';

/** The export for an assignment, written to a fresh temporary folder as the candidate received it. */
export function exportedRepo(assignment: Partial<Pick<Assignment, 'parts' | 'features'>> = {}): { repo: string; files: Map<string, string>; assignment: Assignment } {
  const built = buildExport({ parts: assignment.parts, features: assignment.features });
  const repo = mkdtempSync(join(tmpdir(), 'submission-'));
  for (const [path, text] of built.files) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  return { repo, files: built.files, assignment: built.assignment };
}

export interface Measured {
  queries?: number[];
  /** Each query count's request time, ms. */
  ms?: number[];
  p50?: number;
  p99?: number;
}

function stats(p50: number, p99: number): LatencyStats {
  return { p50, p90: p99, p99, max: p99, rps: 100, requests: 100, errors: 0, timeouts: 0, non2xx: 0 };
}

function evidence(measured: Measured): Evidence {
  const sizes = ['3 customers', '10 customers', '30 customers'];
  return {
    requests: [],
    observations: [],
    tables: [],
    shapes: [],
    scaling: measured.queries
      ? [{ title: 'GET /api/orders/summary?limit=N', points: measured.queries.map((q, i) => ({ size: i + 1, label: sizes[i]!, queries: q, ms: measured.ms?.[i] ?? 1 })), growth: 'constant' }]
      : [],
    load: measured.p50 !== undefined ? [{ label: 'summary', path: '/api/orders/summary', size: '30 customers', rounds: [], median: stats(measured.p50, measured.p99 ?? measured.p50) }] : [],
    race: [],
    caveats: [],
  };
}

function result(scenario: string, variant: string, verdict: Verdict, measured: Measured): ScenarioResult {
  return { scenario, title: scenario, teaches: '', reproducesBug: true, variant, verdict, reason: verdict, durationMs: 1, steps: [], evidence: evidence(measured) };
}

/** A run of some scenarios on the original code, the candidate's and the reference, and its rubric. */
export function handMadeReview(scenarios: Record<string, { broken: Measured; candidate: Measured; fixed?: Measured }>, backend: BackendName = 'embedded'): { run: RunResult; review: Review } {
  const results = Object.entries(scenarios).flatMap(([id, m]) => [
    result(id, 'broken', 'FAIL', m.broken),
    result(id, CANDIDATE, 'PASS', m.candidate),
    result(id, 'fixed', 'PASS', m.fixed ?? m.candidate),
  ]);
  const run: RunResult = {
    header: { date: '2026-01-02T03:04:05.000Z', commit: 'abc', node: 'v20', databaseVersion: 'x', backend, variants: ['broken', CANDIDATE, 'fixed'], cores: 2, scale: 'small', seed: 1, duration: 1, connections: 10, trials: 3, command: 'npm run review' },
    scenarios: Object.keys(scenarios),
    results,
    complete: true,
  };
  return { run, review: compareRun(run, { names: { broken: 'broken', candidate: CANDIDATE, fixed: 'fixed' } }) };
}

/** What the submission checks are given for a repository (or a bare variant folder). */
export function submissionInput(options: { repo?: string; variantPath: string; assignment?: Assignment; run?: RunResult; review?: Review }): SubmissionInput {
  const made = options.run && options.review ? { run: options.run, review: options.review } : handMadeReview({});
  return {
    name: CANDIDATE,
    ...(options.repo ? { repo: options.repo } : {}),
    variantPath: options.variantPath,
    assignment: options.assignment ?? FULL_ASSIGNMENT,
    review: made.review,
    run: made.run,
    isolation: { statement: 'test' },
  };
}

/** Findings of a graded submission, by hand: tests that guard, a rewrite, an edit outside variants/, a figure off. */
export const GRADED: SubmissionFindings = {
  tests: { status: 'graded', files: ['test/cancel.test.ts'], tests: [], guarding: 3, guardsNothing: 1, failingOnTheirs: 0, incidents: [{ area: 'cancel-regression', guarded: true }], fileErrors: [] },
  change: {
    files: [
      { file: 'order-flows.ts', path: 'variants/app/order-flows.ts', status: 'modified', added: 12, removed: 4, replaced: 0.2, rewrite: false },
      { file: 'orders.ts', path: 'variants/app/orders.ts', status: 'modified', added: 180, removed: 170, replaced: 0.94, rewrite: true },
    ],
    added: 192,
    removed: 174,
    areas: [],
    outside: ['harness/run.ts'],
    flags: ['orders.ts was rewritten (94% of its lines replaced)'],
    compared: 'repository',
    reference: { files: 7, added: 207, removed: 163, replaced: 0.3, other: { added: 67, removed: 33 } },
    tests: ['test/cancel.test.ts'],
    writeUp: 'edited',
    replaced: 0.4,
    notes: [],
  },
  solution: {
    found: true,
    sections: [
      { section: 'Root cause (cancel-regression)', present: true },
      { section: 'Root cause (filters)', present: false },
    ],
    figures: [
      { line: 12, quote: '3 queries', values: [3], scenario: 'summary-n-plus-one', kind: 'queries', role: 'after', status: 'off', detail: 'quotes 3 queries, the review measured 5' },
      { line: 14, quote: '1 query', values: [1], scenario: 'summary-n-plus-one', kind: 'queries', role: 'after', status: 'consistent' },
    ],
  },
};
