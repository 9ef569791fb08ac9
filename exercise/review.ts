// `npm run review`: runs every scenario, public and hidden, against the original code, one or more
// candidates' code and the reference answer, side by side, and writes per candidate a reviewer's
// report (rubric on top) and a candidate's report (no hidden scenarios). Candidate code is only
// ever loaded by harness/serve.ts in a process of its own (see harness/service-process.ts), from a
// copy the lab made of it, as an unprivileged user where the machine allows (harness/sandbox.ts).
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createSchema, type BackendName } from '../harness/db/backends';
import { collectHeader, shellQuote } from '../harness/report/header';
import { writeAtomically } from '../harness/report/write';
import { isExpectedVerdict, labVariant, variantWithRole } from '../harness/roles';
import { runScenarios, type Progress } from '../harness/run';
import { candidateStatement, DEFAULT_SANDBOX_USER, LAB_ROOT, planIsolation, type Confinement, type Isolation } from '../harness/sandbox';
import type { RunResult, Scale, Scenario } from '../harness/scenario';
import { SCENARIOS } from '../scenarios/index';
import { HIDDEN_SCENARIOS } from './hidden/index';
import type { Cleanups } from '../harness/interrupt';
import { FEATURE_OPTIONS, FULL_ASSIGNMENT, PART_IDS, type Assignment } from './parts';
import { compareRun, renderRubric, reviewSideNames, type Review } from './rubric';
import { buildCohort, COHORT_NAME, writeCohort, type ReviewReport, type ReviewTime } from './cohort';
import { assessSubmission, pasteableFindings, renderSubmission, type SubmissionFindings } from './submission/index';
import { readSources } from './submission/sources';
import { renameVariants, renderCandidateReport, renderReviewerReport, reviewNames } from './report';
import { walkTree } from '../harness/files';

/** The lab's original code and reference answer, as its configuration names them (harness/roles.ts). */
export const ORIGINAL = variantWithRole('original')!.id;
export const REFERENCE = variantWithRole('reference')!.id;

/** Milliseconds to seconds, to a tenth. */
const seconds = (ms: number) => Math.round(ms / 100) / 10;

export class ReviewError extends Error {}

export interface CandidateSource {
  /** An exported repository (as the candidate sent it back) or a variant folder. */
  path: string;
  /** Report name; default: the repository's folder name. */
  name?: string;
}

export interface LocatedCandidate {
  name: string;
  /** The folder handed to the service as --variant. */
  variantPath: string;
  /** The repository the candidate returned, when the variant sits in one. */
  repo?: string;
  /** exercise.json of the repository, when there is one. */
  assignment?: Assignment;
}

export interface ReviewOptions {
  candidates: CandidateSource[];
  backend: BackendName;
  databaseUrl: string;
  scale: Scale;
  duration: number;
  connections: number;
  trials: number;
  seed: number;
  /** Only these scenarios (public or hidden ids); default all. */
  scenarioIds?: string[];
  publicOnly?: boolean;
  /** Overrides every scenario's own time limit, per scenario and variant. */
  timeoutMs?: number;
  outDir: string;
  /** The CLI arguments, for the report's "reproduce with" line. */
  argv?: string[];
  /**
   * The user candidate code runs as (needs root); null: the reviewer's own. Default: nobody (the
   * CLI passes $REGRESSION_LAB_SANDBOX_USER when it is set).
   */
  sandboxUser?: string | null;
  /**
   * Refuse to review (ReviewError, exit 2) when candidate code would run as the reviewer's own user:
   * for machines where the reviewer's user holds something candidates must not reach (a CI job).
   */
  requireIsolation?: boolean;
  onProgress?: (progress: Progress) => void;
  /** Where the run registers what Ctrl-C must undo: the command's (harness/interrupt.ts). */
  cleanups?: Cleanups;
}

export interface CandidateReview {
  candidate: LocatedCandidate;
  review: Review;
  /** Their tests, the size of their change, their SOLUTION.md. */
  submission: SubmissionFindings;
  run: RunResult;
  files: { json: string; markdown: string; candidateMarkdown: string };
  reviewTime: ReviewTime;
}

export interface ReviewOutcome {
  run: RunResult;
  reviews: CandidateReview[];
  /** Where the original code did not fail a public scenario, or the reference did not pass one. */
  baselineProblems: string[];
  /** With several candidates: review-cohort.md and .json, computed from their JSON reports alone. */
  cohort?: { json: string; markdown: string };
}

export const ALL_SCENARIOS: Scenario[] = [...SCENARIOS, ...HIDDEN_SCENARIOS];
export const DEEPENS: Record<string, string> = Object.fromEntries(HIDDEN_SCENARIOS.map((s) => [s.id, s.deepens]));

const hasIndex = (dir: string) => existsSync(join(dir, 'index.ts')) || existsSync(join(dir, 'index.js'));

function readAssignment(repo: string): Assignment | undefined {
  const file = join(repo, 'exercise.json');
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Assignment>;
    const parts = (parsed.parts ?? []).filter((p) => (PART_IDS as readonly string[]).includes(p));
    const features = (parsed.features ?? []).filter((f) => (FEATURE_OPTIONS as readonly string[]).includes(f));
    // Only an option that was offered counts as declared; anything else leaves the rubric to infer it.
    const chosen = features.find((f) => f === parsed.chosen);
    return { parts, features, timebox: String(parsed.timebox ?? ''), ...(chosen ? { chosen } : {}) };
  } catch {
    return undefined;
  }
}

/** A candidate's name as its report files (review-<name>.json) and the review workflow's artifacts carry it. */
export function fileName(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return safe || 'candidate';
}

/** Finds the variant folder in what a candidate sent: an exported repository or the folder itself. */
export function locateCandidate(source: CandidateSource): LocatedCandidate {
  const path = resolve(source.path);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new ReviewError(`--candidate ${source.path}: no such folder`);
  let variantPath: string;
  let repo: string | undefined;
  if (hasIndex(path)) {
    variantPath = path;
    // <repo>/variants/app given directly: the repository is two levels up.
    const up = resolve(path, '..', '..');
    if (basename(dirname(path)) === 'variants' && existsSync(join(up, 'package.json'))) repo = up;
  } else if (hasIndex(join(path, 'variants', 'app'))) {
    variantPath = join(path, 'variants', 'app');
    repo = path;
  } else {
    const dir = join(path, 'variants');
    const found = existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'shared' && hasIndex(join(dir, e.name)))
      : [];
    if (found.length !== 1) {
      throw new ReviewError(
        `--candidate ${source.path}: expected an exported repository (variants/app/index.ts) or a variant folder (index.ts)` +
          (found.length > 1 ? `; found several variants: ${found.map((e) => e.name).join(', ')} (pass the one to review)` : ''),
      );
    }
    variantPath = join(dir, found[0]!.name);
    repo = path;
  }
  // An exported repository is named by its folder; any other variant folder by its own name.
  let name = fileName(source.name ?? (basename(variantPath) === 'app' && repo ? basename(repo) : basename(variantPath)));
  // Nor of the cohort report's files (review-cohort.md).
  if (name === ORIGINAL || name === REFERENCE || name === COHORT_NAME) name = `candidate-${name}`;
  return { name, variantPath, ...(repo ? { repo } : {}), assignment: repo ? readAssignment(repo) : undefined };
}

// ---------------------------------------------------------------------------------------------
// Running a submission as sent, and confined

/** The contract and shared code the export ships beside variants/app, for a variant folder sent alone. */
const LAB_VARIANT_FILES = ['contract.ts', 'shared'];

const isInside = (path: string, root: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Copies a submission's code: folders 0755 and files 0644, owned by the lab's user, so the sandbox
 * user can read it and nobody else can change it. Left out: node_modules (the lab's packages are
 * used, see harness/lab-modules.ts), dot entries, and symlinks, which could point anywhere.
 */
export function copyCode(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  chmodSync(to, 0o755);
  for (const entry of walkTree(from, { folders: true })) {
    const target = join(to, entry.path);
    if (entry.folder) mkdirSync(target, { recursive: true });
    else copyFileSync(join(from, entry.path), target);
    chmodSync(target, entry.folder ? 0o755 : 0o644);
  }
}

export interface StagedCandidate {
  /** The folder handed to the service as --variant. */
  variantPath: string;
  /** The submission's code that runs: imports of packages from files under it go to the lab's. */
  codeRoot: string;
  remove(): void;
}

/**
 * Where a candidate's code runs from. Code outside the lab (often in a private temporary folder)
 * is copied: its variants/ folder when the app sits in one (the contract and shared files it
 * imports are beside it), else the folder alone with the lab's contract and shared code beside it.
 * Code inside the lab's checkout (the test fixtures) is the lab's own files and runs in place.
 */
export function stageCandidate(candidate: LocatedCandidate): StagedCandidate {
  const folder = candidate.variantPath;
  const inVariants = basename(dirname(folder)) === 'variants';
  if (isInside(folder, LAB_ROOT)) return { variantPath: folder, codeRoot: inVariants ? dirname(folder) : folder, remove: () => {} };
  const stage = mkdtempSync(join(tmpdir(), 'regression-lab-candidate-'));
  chmodSync(stage, 0o755);
  const variants = join(stage, 'variants');
  if (inVariants) copyCode(dirname(folder), variants);
  else {
    copyCode(folder, join(variants, basename(folder)));
    for (const file of LAB_VARIANT_FILES) {
      const source = join(LAB_ROOT, 'variants', file);
      if (statSync(source).isDirectory()) copyCode(source, join(variants, file));
      else (copyFileSync(source, join(variants, file)), chmodSync(join(variants, file), 0o644));
    }
  }
  return { variantPath: join(variants, basename(folder)), codeRoot: variants, remove: () => rmSync(stage, { recursive: true, force: true }) };
}

/** What a candidate's code has no business reading: the hidden scenarios and the reference answer. */
const ANSWER_KEY = [join(__dirname, 'hidden'), join(LAB_ROOT, labVariant('reference').path)];

export interface ConfinedCandidates {
  /** The path each candidate runs from, in the order given. */
  paths: string[];
  /** For runScenarios, by those paths. */
  confinement: Record<string, Confinement>;
  isolation: Isolation;
  remove(): void;
}

/** Stages every candidate and decides, by measuring, which user their code runs as. */
export async function confineCandidates(located: LocatedCandidate[], sandboxUser?: string | null): Promise<ConfinedCandidates> {
  const staged: StagedCandidate[] = [];
  const remove = () => staged.forEach((s) => s.remove());
  try {
    for (const candidate of located) staged.push(stageCandidate(candidate));
    const user = sandboxUser !== undefined ? sandboxUser : DEFAULT_SANDBOX_USER;
    const isolation = await planIsolation({ codeRoots: staged.map((s) => s.codeRoot), userName: user, privatePaths: ANSWER_KEY });
    const confinement = Object.fromEntries(staged.map((s) => [s.variantPath, { user: isolation.user, codeRoot: s.codeRoot }]));
    return { paths: staged.map((s) => s.variantPath), confinement, isolation, remove };
  } catch (err) {
    remove();
    throw err;
  }
}

/** For --require-isolation: throws, with the isolation statement, unless candidate code runs as a user of its own. */
export function requireIsolation(isolation: Isolation): void {
  if (isolation.user) return;
  throw new ReviewError(
    `--require-isolation: refusing to run candidate code, which would run as the reviewer's own user: ${isolation.statement}. ` +
      'Run the review as root, with the lab and the submission readable by that user.',
  );
}

/** The scenarios a review runs: every public and hidden one unless narrowed. */
export function selectScenarios(options: Pick<ReviewOptions, 'scenarioIds' | 'publicOnly' | 'timeoutMs'>): Scenario[] {
  let chosen = options.publicOnly ? [...SCENARIOS] : [...ALL_SCENARIOS];
  if (options.scenarioIds?.length) {
    const unknown = options.scenarioIds.filter((id) => !ALL_SCENARIOS.some((s) => s.id === id));
    if (unknown.length) throw new ReviewError(`unknown scenario ${unknown.map((id) => `"${id}"`).join(', ')}; choose from: ${ALL_SCENARIOS.map((s) => s.id).join(', ')}`);
    chosen = chosen.filter((s) => options.scenarioIds!.includes(s.id));
  }
  return options.timeoutMs ? chosen.map((s) => ({ ...s, timeoutMs: options.timeoutMs })) : chosen;
}

/** The run as one candidate's review shows it: the original, that candidate (by name), the reference. */
function projection(run: RunResult, candidate: LocatedCandidate, runPath: string): RunResult {
  return renameVariants(run, reviewNames('reviewer', { variant: runPath, name: candidate.name }));
}

/** One level deeper, so the harness report sits under the review's own title. Code fences are left alone. */
export function demoteHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}


export function renderReviewReports(run: RunResult, review: Review, baselineProblems: string[] = [], submission?: SubmissionFindings): { reviewer: string; candidate: string } {
  const warn = baselineProblems.length
    ? `> **The baseline did not behave as the lab promises on this machine** (${baselineProblems.length} problem(s)); see "Baseline warnings".\n\n`
    : '';
  const reviewer =
    `# Review: ${review.candidate}\n\n` + warn + renderRubric(review, 'reviewer', submission ? pasteableFindings(submission) : []) + findings(submission, 'reviewer') + '\n\n' + demoteHeadings(renderReviewerReport(run));
  // The candidate's copy leaves out the hidden scenarios (exercise/report.ts) and the reference
  // answer's own evidence (its SQL would be the answer key): the rubric above keeps only its
  // verdicts and figures.
  const renamed = renameVariants(run, reviewNames('candidate', { variant: review.candidate, name: review.candidate }));
  const forCandidate: RunResult = {
    ...renamed,
    // The reviewers' command line names the hidden scenarios they chose.
    header: {
      ...renamed.header,
      command: 'npm run review (by the reviewers)',
      ...(run.header.isolation ? { isolation: candidateStatement(run.header.isolation) } : {}),
    },
  };
  const candidate =
    `# Review of your submission\n\n` + renderRubric(review, 'candidate') + findings(submission, 'candidate') + '\n\n' + demoteHeadings(renderCandidateReport(forCandidate));
  return { reviewer, candidate };
}

/** The submission's sections under the rubric; none while the review is still running. */
function findings(submission: SubmissionFindings | undefined, audience: 'reviewer' | 'candidate'): string {
  const text = submission ? renderSubmission(submission, audience) : '';
  return text ? `\n\n${text}` : '';
}

/** Read once per candidate: the reports are rewritten after every result of the run. */
const sourceCache = new WeakMap<LocatedCandidate, Record<string, string>>();
function sourcesOf(candidate: LocatedCandidate): Record<string, string> {
  let sources = sourceCache.get(candidate);
  if (!sources) sourceCache.set(candidate, (sources = readSources(candidate.variantPath)));
  return sources;
}

function writeCandidateReports(
  outDir: string,
  run: RunResult,
  review: Review,
  candidate: LocatedCandidate,
  baselineProblems: string[],
  submission?: SubmissionFindings,
  reviewTime?: ReviewTime,
) {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `review-${candidate.name}`);
  const files = { json: `${base}.json`, markdown: `${base}.md`, candidateMarkdown: `${base}-candidate.md` };
  const { reviewer, candidate: forCandidate } = renderReviewReports(run, review, baselineProblems, submission);
  const report = { ...run, review, assignment: candidate.assignment ?? null, submission: submission ?? null, sources: sourcesOf(candidate), ...(reviewTime ? { reviewTime } : {}) };
  const json = JSON.stringify(report, null, 2) + '\n';
  writeAtomically(files.json, json);
  writeAtomically(files.markdown, reviewer);
  writeAtomically(files.candidateMarkdown, forCandidate);
  return { files, json };
}

/** Where the original and the reference did not give what their roles expect (then no transition can be trusted fully). */
export function baselineProblemsOf(run: RunResult): string[] {
  const problems: string[] = [];
  for (const result of run.results) {
    const role = result.variant === ORIGINAL ? 'original' : result.variant === REFERENCE ? 'reference' : undefined;
    if (!role || isExpectedVerdict(role, result.verdict, run.header.backend, result)) continue;
    const what = role === 'original' ? 'the original code did not fail' : 'the reference answer did not pass';
    problems.push(`${what} ${result.scenario} (${result.verdict}: ${result.reason})`);
  }
  return problems;
}

/** Fails early, with a sentence, when the server will not let us give candidates a login of their own. */
async function checkRoleIsolation(options: ReviewOptions): Promise<void> {
  if (options.backend !== 'postgres') return;
  let schema;
  try {
    schema = await createSchema(options.databaseUrl, { ownRole: true });
  } catch (err) {
    throw new ReviewError(
      `could not create a schema with a login role of its own at ${options.databaseUrl.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message}). ` +
        'A review gives candidate code credentials that reach only its schema, which needs a user with CREATEROLE; or use --db embedded.',
    );
  }
  await schema.drop();
}

export async function reviewCandidates(options: ReviewOptions): Promise<ReviewOutcome> {
  if (options.candidates.length === 0) throw new ReviewError('at least one --candidate is needed');
  const started = performance.now();
  const located = options.candidates.map(locateCandidate);
  const seen = new Map<string, number>();
  for (const candidate of located) {
    const n = (seen.get(candidate.name) ?? 0) + 1;
    seen.set(candidate.name, n);
    if (n > 1) candidate.name = `${candidate.name}-${n}`;
  }
  const scenarios = selectScenarios(options);
  await checkRoleIsolation(options);

  const confined = await confineCandidates(located, options.sandboxUser);
  try {
    if (options.requireIsolation) requireIsolation(confined.isolation);
    return await reviewConfined(options, scenarios, located, confined, started);
  } finally {
    confined.remove();
  }
}

async function reviewConfined(options: ReviewOptions, scenarios: Scenario[], located: LocatedCandidate[], confined: ConfinedCandidates, started: number): Promise<ReviewOutcome> {
  const runPath = new Map(located.map((c, i) => [c, confined.paths[i]!]));
  const variants = [ORIGINAL, ...confined.paths, REFERENCE];
  // Progress lines name every candidate, as the reviewers' reports do.
  const names = new Map(located.flatMap((c) => [...reviewNames('reviewer', { variant: runPath.get(c)!, name: c.name })]));
  const rename = (variant: string) => names.get(variant) ?? variant;
  const header = await collectHeader({
    backend: options.backend,
    variants,
    scale: options.scale,
    seed: options.seed,
    duration: options.duration,
    connections: options.connections,
    trials: options.trials,
    argv: [],
    isolation: confined.isolation.statement,
  });
  header.command = `npm run review -- ${(options.argv ?? located.flatMap((c) => ['--candidate', c.variantPath])).map(shellQuote).join(' ')}`;

  const reviewOne = (run: RunResult, candidate: LocatedCandidate) => {
    const projected = projection(run, candidate, runPath.get(candidate)!);
    const review = compareRun(projected, {
      names: reviewSideNames(candidate.name),
      deepens: DEEPENS,
      assignment: candidate.assignment,
    });
    return { projected, review };
  };

  const run = await runScenarios(
    {
      scenarios,
      variants,
      backend: options.backend,
      databaseUrl: options.databaseUrl,
      scale: options.scale,
      duration: options.duration,
      connections: options.connections,
      trials: options.trials,
      seed: options.seed,
      isolateCredentials: true,
      confinement: confined.confinement,
      cleanups: options.cleanups,
    },
    header,
    {
      onProgress: options.onProgress
        ? (p) =>
            options.onProgress!(
              p.kind === 'result' ? { ...p, result: { ...p.result, variant: rename(p.result.variant) } } : p.kind === 'notice' ? p : { ...p, variant: rename(p.variant) },
            )
        : undefined,
      // Keep what finished on disk, so an interrupted review still leaves its reports.
      onResult: (partial) => {
        if (partial.complete) return;
        for (const candidate of located) {
          const { projected, review } = reviewOne(partial, candidate);
          writeCandidateReports(options.outDir, projected, review, candidate, []);
        }
      },
    },
  );

  const baselineProblems = baselineProblemsOf(run);
  // The run is one for every candidate of this command: its time (from the start of the review) is each one's.
  const runSeconds = seconds(performance.now() - started);
  const reviews: CandidateReview[] = [];
  const reports: ReviewReport[] = [];
  for (const candidate of located) {
    const checksStarted = performance.now();
    const { projected, review } = reviewOne(run, candidate);
    const submission = await assessSubmission({
      name: candidate.name,
      ...(candidate.repo ? { repo: candidate.repo } : {}),
      variantPath: candidate.variantPath,
      assignment: candidate.assignment ?? FULL_ASSIGNMENT,
      review,
      run: projected,
      isolation: confined.isolation,
      onProgress: options.onProgress ? (message) => options.onProgress!({ kind: 'notice', message }) : undefined,
    });
    const reviewTime: ReviewTime = { runSeconds, sharedBy: located.length, checksSeconds: seconds(performance.now() - checksStarted) };
    const { files, json } = writeCandidateReports(options.outDir, projected, review, candidate, baselineProblems, submission, reviewTime);
    reports.push(JSON.parse(json) as ReviewReport);
    reviews.push({ candidate, review, submission, run: projected, files, reviewTime });
  }
  // From the JSON as written, as `npm run review -- merge` of those files computes it.
  const onProgress = options.onProgress ? (message: string) => options.onProgress!({ kind: 'notice', message }) : undefined;
  const cohort = reports.length > 1 ? writeCohort(options.outDir, await buildCohort(reports, { onProgress })) : undefined;
  return { run, reviews, baselineProblems, ...(cohort ? { cohort } : {}) };
}
