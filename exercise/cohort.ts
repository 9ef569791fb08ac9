// The cohort report, for reviewers only: one row per candidate (each area's status, regressions,
// their tests, the size of their change, their SOLUTION.md, the review's time) and the code
// similarity between submissions and with the reference answer. It is computed from the candidates'
// review JSON alone (plus the lab's own original and reference code), so a multi-candidate review
// and `npm run review -- merge` of JSON reports written on several machines give the same bytes.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BackendName } from '../harness/db/backends';
import { count, duration, percent } from '../harness/report/format';
import { writeAtomically } from '../harness/report/write';
import type { RunResult } from '../harness/scenario';
import type { Assignment } from './parts';
import type { AreaStatus, Review } from './rubric';
import { compareSubmissions, originalCode, referenceCode, REFERENCE_NAME, type PairSimilarity, type SimilarityReport } from './similarity';
import type { SubmissionFindings } from './submission/index';
import type { TestGrading } from './submission/tests';

export const COHORT_KIND = 'regression-lab cohort';
/** <out>/review-cohort.md and .json; no candidate takes this name (see locateCandidate). */
export const COHORT_NAME = 'cohort';

export class CohortError extends Error {}

/** How long a candidate's review took, in seconds. */
export interface ReviewTime {
  /** The scenario run: shared by every candidate reviewed in the same command, so the same for each. */
  runSeconds: number;
  /** How many candidates shared that run. */
  sharedBy: number;
  /** This candidate's own checks after it: their tests, their change, their SOLUTION.md. */
  checksSeconds: number;
}

/** review-<name>.json as writeCandidateReports writes it. */
export type ReviewReport = RunResult & {
  review: Review;
  assignment: Assignment | null;
  submission: SubmissionFindings | null;
  sources: Record<string, string>;
  /** Absent from the reports a review rewrites while it is still running. */
  reviewTime?: ReviewTime;
};

export interface CohortRow {
  candidate: string;
  /** false when the review was interrupted. */
  complete: boolean;
  couldNotRun?: string;
  /** Area (public scenario id) -> status. */
  areas: Record<string, AreaStatus>;
  /** Scenarios that passed on the original code and fail on theirs. */
  regressions: string[];
  tests: Pick<TestGrading, 'status' | 'reason' | 'guarding' | 'guardsNothing' | 'failingOnTheirs'> | null;
  change: { added: number; removed: number; files: number; rewritten: string[]; outside: number; flags: string[] } | null;
  solution: { found: boolean; sections: number; sectionsMissing: number; figuresOff: number } | null;
  reviewTime: ReviewTime | null;
}

export interface Cohort {
  kind: typeof COHORT_KIND;
  /** The newest review's date. */
  date: string;
  backend: BackendName;
  scenarios: string[];
  /** The lab commits the reviews ran on. */
  commits: string[];
  candidates: number;
  /** Column order: the areas as the reviews list them. */
  areas: { area: string; title: string }[];
  rows: CohortRow[];
  similarity: SimilarityReport;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a review's JSON, or says in a sentence why it is not one. */
export function parseReviewReport(text: string, file: string): ReviewReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CohortError(`${file} is not JSON (${(err as Error).message}); merge takes the review-<name>.json files npm run review writes`);
  }
  if (isObject(parsed) && parsed.kind === COHORT_KIND) throw new CohortError(`${file} is a cohort report; merge takes the review-<name>.json files it was made from`);
  if (!isObject(parsed)) throw new CohortError(`${file} is not a review report (review-<name>.json from npm run review): it is not a JSON object`);
  const missing: string[] = [];
  if (!isObject(parsed.header) || typeof parsed.header.date !== 'string' || typeof parsed.header.backend !== 'string') missing.push('a run header');
  if (!Array.isArray(parsed.scenarios) || !Array.isArray(parsed.results)) missing.push('scenario results');
  const review = parsed.review;
  if (!isObject(review) || typeof review.candidate !== 'string' || !Array.isArray(review.areas) || !Array.isArray(review.regressions)) missing.push('a rubric ("review")');
  if (!isObject(parsed.sources)) missing.push("the candidate's sources");
  if (!('submission' in parsed)) missing.push('submission findings');
  if (missing.length) throw new CohortError(`${file} is not a review report (review-<name>.json from npm run review): it lacks ${missing.join(', ')}`);
  return parsed as unknown as ReviewReport;
}

/** Reads review JSON files for a merge; cohort reports among them (a glob's catch) are left out. */
export function readReviewReports(paths: string[], onNotice?: (message: string) => void): ReviewReport[] {
  if (paths.length === 0) throw new CohortError('merge needs at least one review-<name>.json');
  const reports: { file: string; report: ReviewReport }[] = [];
  for (const file of paths) {
    if (!existsSync(file)) throw new CohortError(`no such file: ${file}`);
    const text = readFileSync(file, 'utf8');
    try {
      reports.push({ file, report: parseReviewReport(text, file) });
    } catch (err) {
      if (err instanceof CohortError && err.message.includes('is a cohort report') && paths.length > 1) {
        onNotice?.(`left out ${file}: a cohort report, not a review`);
        continue;
      }
      throw err;
    }
  }
  const byName = new Map<string, string>();
  for (const { file, report } of reports) {
    const earlier = byName.get(report.review.candidate);
    if (earlier) throw new CohortError(`${earlier} and ${file} both review "${report.review.candidate}": review one of them again under another --name, or leave one out`);
    byName.set(report.review.candidate, file);
  }
  checkComparable(reports);
  return reports.map((r) => r.report);
}

/**
 * Refuses reviews run on different backends or scenario sets: a row's statuses are only comparable
 * with another's when the same checks ran on the same engine (pg-mem leaves races unsettled).
 */
function checkComparable(reports: { file: string; report: ReviewReport }[]): void {
  const describe = (key: (r: ReviewReport) => string) => {
    const groups = new Map<string, string[]>();
    for (const { file, report } of reports) groups.set(key(report), [...(groups.get(key(report)) ?? []), basename(file)]);
    return groups;
  };
  const backends = describe((r) => r.header.backend);
  if (backends.size > 1) {
    throw new CohortError(
      `the reviews ran on different backends (${[...backends].map(([b, files]) => `${b}: ${files.join(', ')}`).join('; ')}); a cohort compares candidates on the same evidence: review them again with the same --db`,
    );
  }
  const sets = describe((r) => [...r.scenarios].sort().join(', '));
  if (sets.size > 1) {
    throw new CohortError(
      `the reviews ran different scenarios (${[...sets].map(([s, files]) => `${files.join(', ')}: ${s || 'none'}`).join('; ')}); a cohort compares candidates on the same evidence: review them again with the same --scenario and --public-only options`,
    );
  }
}

function row(report: ReviewReport): CohortRow {
  const { review, submission } = report;
  const tests = submission?.tests;
  const change = submission?.change;
  const solution = submission?.solution;
  return {
    candidate: review.candidate,
    complete: review.complete,
    ...(review.couldNotRun ? { couldNotRun: review.couldNotRun } : {}),
    areas: Object.fromEntries(review.areas.map((a) => [a.area, a.status])),
    regressions: review.regressions.map((c) => c.scenario),
    tests: tests ? { status: tests.status, ...(tests.reason ? { reason: tests.reason } : {}), guarding: tests.guarding, guardsNothing: tests.guardsNothing, failingOnTheirs: tests.failingOnTheirs } : null,
    change: change
      ? { added: change.added, removed: change.removed, files: change.files.length, rewritten: change.files.filter((f) => f.rewrite).map((f) => f.file), outside: change.outside.length, flags: change.flags }
      : null,
    solution: solution
      ? { found: solution.found, sections: solution.sections.length, sectionsMissing: solution.sections.filter((s) => !s.present).length, figuresOff: solution.figures.filter((f) => f.status === 'off').length }
      : null,
    reviewTime: report.reviewTime ?? null,
  };
}

export interface CohortOptions {
  /** Default: the lab's variants/fixed and the original code as exported. */
  reference?: Record<string, string>;
  original?: Record<string, string>;
  onProgress?: (message: string) => void;
}

/** The cohort from review JSON alone: candidates in name order, nothing taken from the clock. */
export async function buildCohort(reports: ReviewReport[], options: CohortOptions = {}): Promise<Cohort> {
  if (reports.length === 0) throw new CohortError('a cohort needs at least one review');
  const sorted = [...reports].sort((a, b) => (a.review.candidate < b.review.candidate ? -1 : a.review.candidate > b.review.candidate ? 1 : 0));
  const areas = new Map<string, string>();
  for (const report of sorted) for (const a of report.review.areas) if (!areas.has(a.area)) areas.set(a.area, a.title);
  options.onProgress?.(`Comparing the code of ${sorted.length} submission(s) with each other and with the reference answer (Dolos)…`);
  const started = performance.now();
  const similarity = await compareSubmissions(
    sorted.map((r) => ({ name: r.review.candidate, sources: r.sources })),
    options.reference ?? referenceCode(),
    options.original ?? originalCode(),
  );
  options.onProgress?.(`Compared in ${duration(performance.now() - started)}`);
  return {
    kind: COHORT_KIND,
    date: sorted.map((r) => r.header.date).sort().at(-1)!,
    backend: sorted[0]!.header.backend,
    scenarios: [...sorted[0]!.scenarios],
    commits: [...new Set(sorted.map((r) => r.header.commit))].sort(),
    candidates: sorted.length,
    areas: [...areas].map(([area, title]) => ({ area, title })),
    rows: sorted.map(row),
    similarity,
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function testsCell(tests: CohortRow['tests']): string {
  if (!tests) return '—';
  if (tests.status === 'graded') return `${tests.guarding} / ${tests.guardsNothing} / ${tests.failingOnTheirs}`;
  return tests.reason ? `${tests.status}: ${tests.reason}` : tests.status;
}

function changeCell(change: CohortRow['change']): string {
  if (!change) return '—';
  const parts = [`+${count(change.added)} −${count(change.removed)} in ${plural(change.files, 'file')}`];
  if (change.rewritten.length) parts.push(`**rewritten:** ${change.rewritten.join(', ')}`);
  if (change.outside) parts.push(`${plural(change.outside, 'file')} changed outside variants/`);
  return parts.join('; ');
}

function solutionCell(solution: CohortRow['solution']): string {
  if (!solution) return '—';
  if (!solution.found) return 'missing';
  return `${solution.sectionsMissing} of ${plural(solution.sections, 'section')} missing, ${plural(solution.figuresOff, 'figure')} off`;
}

function statusCell(status: AreaStatus | undefined): string {
  if (!status) return '—';
  return status === 'unsafe' ? '**unsafe**' : status;
}

function candidateCell(r: CohortRow): string {
  const notes = [...(r.couldNotRun ? ['code did not load'] : []), ...(r.complete ? [] : ['review interrupted'])];
  return `${r.candidate}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

const pairName = (name: string) => (name === REFERENCE_NAME ? 'reference answer' : name);

/** A fence longer than any run of backticks in the code. */
function fenced(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}ts\n${code}\n${fence}`;
}

function pairHeading(p: PairSimilarity): string {
  return p.right === REFERENCE_NAME ? `${p.left} matches the reference answer: ${percent(p.similarity)}` : `${p.left} and ${p.right}: ${percent(p.similarity)} similar`;
}

function renderSimilarity(cohort: Cohort): string {
  const s = cohort.similarity;
  const names = [...cohort.rows.map((r) => r.candidate), REFERENCE_NAME];
  const lookup = new Map(s.pairs.flatMap((p) => [[`${p.left}\n${p.right}`, p] as const, [`${p.right}\n${p.left}`, p] as const]));
  const lines = [
    '## Code similarity',
    '',
    `${s.tool} compared each candidate's \`variants/\` code with every other candidate's and with the reference answer, ` +
      'each submission as one text (its files in path order, so code moved between files is still found). The original code every ' +
      "candidate starts from is Dolos' template and never counts: a share is of the code each side wrote themselves. " +
      `A pair at ${percent(s.threshold)} or more, with at least ${s.minShared} fingerprints in common on each side, is shown with its longest matching fragments.`,
    '',
    `| | ${names.map((n) => cell(pairName(n))).join(' | ')} |`,
    `|---|${names.map(() => '---|').join('')}`,
  ];
  for (const name of cohort.rows.map((r) => r.candidate)) {
    const cells = names.map((other) => {
      if (other === name) return '';
      const p = lookup.get(`${name}\n${other}`);
      if (!p) return '—';
      return p.flagged ? `**${percent(p.similarity)}**` : percent(p.similarity);
    });
    lines.push(`| ${cell(name)} | ${cells.join(' | ')} |`);
  }
  const own = new Map(s.pairs.flatMap((p) => [[p.left, p.own.left] as const, [p.right, p.own.right] as const]));
  const untouched = cohort.rows.map((r) => r.candidate).filter((n) => own.get(n) === 0);
  if (untouched.length) lines.push('', `No code of their own (the original, unchanged, as far as Dolos can tell): ${untouched.join(', ')}.`);
  const flagged = s.pairs.filter((p) => p.flagged);
  lines.push('', flagged.length ? `${plural(flagged.length, 'pair')} at or above the threshold:` : 'No pair at or above the threshold.');
  for (const p of flagged) {
    lines.push(
      '',
      `### ${pairHeading(p)}`,
      '',
      `${p.shared.left} of ${p.left}'s ${p.own.left} fingerprints of their own and ${p.shared.right} of ${p.right === REFERENCE_NAME ? REFERENCE_NAME : p.right}'s ${p.own.right} are in common; the longest run is ${p.longest}.`,
    );
    for (const [i, f] of p.fragments.entries()) {
      lines.push('', `${i + 1}. \`${f.left.where}\` (${p.left}) and \`${f.right.where}\` (${pairName(p.right)}), ${plural(f.fingerprints, 'fingerprint')}:`, '', fenced(f.left.code));
      if (f.right.code !== f.left.code) lines.push('', fenced(f.right.code));
    }
    if (p.moreFragments) lines.push('', `…and ${plural(p.moreFragments, 'shorter fragment')}.`);
  }
  return lines.join('\n');
}

export function renderCohort(cohort: Cohort): string {
  const commits = cohort.commits.map((c) => `\`${c}\``).join(', ');
  const header = [
    `# Cohort review: ${plural(cohort.candidates, 'candidate')}`,
    '',
    '> For reviewers only: other candidates and the reference answer appear here; send each candidate their own review-<name>-candidate.md.',
    '',
    `Newest review: ${cohort.date}. Backend: ${cohort.backend}. Lab commit${cohort.commits.length > 1 ? 's' : ''}: ${commits}. ` +
      `Scenarios (${cohort.scenarios.length}): ${cohort.scenarios.map((s) => `\`${s}\``).join(', ')}.`,
    '',
    '## Candidates',
    '',
  ];
  const columns = ['candidate', ...cohort.areas.map((a) => a.area), 'regressions', 'tests: guarding / guard nothing / fail on theirs', 'change', 'SOLUTION.md', 'review time'];
  const table = [`| ${columns.map(cell).join(' | ')} |`, `|${columns.map(() => '---|').join('')}`];
  for (const r of cohort.rows) {
    const regressions = r.regressions.length ? `${r.regressions.length}: ${r.regressions.map((s) => `\`${s}\``).join(', ')}` : '0';
    // The review records seconds; the format module takes milliseconds, like every duration it prints.
    const time = r.reviewTime ? `${duration(r.reviewTime.runSeconds * 1000)}${r.reviewTime.sharedBy > 1 ? ` (shared by ${r.reviewTime.sharedBy})` : ''} + ${duration(r.reviewTime.checksSeconds * 1000)}` : '—';
    const cells = [candidateCell(r), ...cohort.areas.map((a) => statusCell(r.areas[a.area])), regressions, testsCell(r.tests), changeCell(r.change), solutionCell(r.solution), time];
    table.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  const notes = [
    '',
    'Areas are the public scenarios, each with its hidden checks (statuses as in each review-<name>.md). Review time: the scenario run, ' +
      'shared by the candidates reviewed in one command and so the same for each of them, + that candidate\'s own checks (tests, change, SOLUTION.md).',
  ];
  return [...header, ...table, ...notes, '', renderSimilarity(cohort), ''].join('\n');
}

/** Writes <out>/review-cohort.json and, rendered from the JSON as written, review-cohort.md. */
export function writeCohort(outDir: string, cohort: Cohort): { json: string; markdown: string } {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `review-${COHORT_NAME}`);
  const files = { json: `${base}.json`, markdown: `${base}.md` };
  const source = JSON.stringify(cohort, null, 2) + '\n';
  writeAtomically(files.json, source);
  writeAtomically(files.markdown, renderCohort(JSON.parse(source) as Cohort));
  return files;
}

/** `npm run review -- merge`: review JSON files from anywhere in, one cohort report out. */
export async function mergeReviews(paths: string[], outDir: string, onProgress?: (message: string) => void): Promise<{ cohort: Cohort; files: { json: string; markdown: string } }> {
  const reports = readReviewReports(paths, onProgress);
  const cohort = await buildCohort(reports, { onProgress });
  return { cohort, files: writeCohort(outDir, cohort) };
}
