// The candidate's own tests, graded: run against the original code and against theirs.
//
// Which tests are theirs: the files under their test/ that the export for their assignment did not
// write as they are (exercise.json's parts and features give the export; a file identical to the
// export's is the lab's). A template they changed is theirs, and all of its tests run (mocha runs
// files), but a test whose full title the template declares too stays the lab's: it is listed as
// kept from the template and not counted, so that editing scenarios.test.ts does not turn the
// lab's scenario checks into the candidate's regression tests.
//
// How they run: see test-runs.ts. Each file once per side, so that a file that does not load on
// the original code (it imports what only the fix adds: normal) is a whole-file failure of that
// file alone, which counts as failing on the original for each test it has on theirs.
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { duration } from '../../harness/report/format';
import { SCENARIOS } from '../../scenarios/index';
import { baselineFor } from './baseline';
import { assignedScenarios, PARTS, type Assignment } from '../parts';
import type { RubricAudience } from '../rubric';
import type { SubmissionInput } from './index';
import { readSources } from './sources';
import { listTestTitles, runTestFile, stageRuns, type FileRun, type Outcome, type RunLimits } from './test-runs';

export interface GradedTest {
  /** The test file, relative to the repository. */
  file: string;
  /** Mocha's full title. */
  title: string;
  /** The incident (public scenario id) it is about, when it can be told. */
  area?: string;
  original: 'passed' | 'failed' | 'pending';
  candidate: 'passed' | 'failed' | 'pending';
  /** failed on the original and passes on theirs | passes on both | fails on theirs | other. */
  kind: 'guards' | 'guards nothing' | 'fails on theirs' | 'skipped';
  /** Why it failed on the original code / on theirs: the failure's first line, or the whole file's. */
  originalError?: string;
  candidateError?: string;
  /** In a template file they changed, with a title the template has too: the lab's test, not counted. */
  template?: boolean;
  /** It failed on the original only as its whole file did (did not load, a hook failed, did not finish). */
  wholeFileOnOriginal?: boolean;
}

export interface TestGrading {
  /** 'graded', or why not: no tests added or changed, could not run (with reason). */
  status: 'graded' | 'no tests' | 'could not run';
  reason?: string;
  /** Test files added or changed relative to the export. */
  files: string[];
  tests: GradedTest[];
  guarding: number;
  guardsNothing: number;
  failingOnTheirs: number;
  /** Per assigned incident: whether some test fails before the fix and passes after it. */
  incidents: { area: string; guarded: boolean }[];
  /** Files that gave no result, or not every result, on one side: why (did not load, did not finish, a hook failed). */
  fileErrors: { file: string; original?: string; candidate?: string }[];
  /** The user the tests ran as, and how long the grading took. */
  ranAs?: string;
  seconds?: number;
}

export interface GradingOptions extends RunLimits {
  /** All files on both sides; a file not started by then is reported as not run. */
  totalTimeLimitMs: number;
}

export const DEFAULT_GRADING_OPTIONS: GradingOptions = {
  testTimeoutMs: 120_000,
  // Room for a file of scenario tests (the template's runs every scenario in about a minute on pg-mem).
  fileTimeLimitMs: 180_000,
  totalTimeLimitMs: 600_000,
};

// ---------------------------------------------------------------------------------------------
// Classification and attribution

/** A test's two outcomes as a kind. Failing on their code outranks everything: it is what their suite says of their fix. */
export function classify(original: Outcome, candidate: Outcome): GradedTest['kind'] {
  if (candidate === 'failed') return 'fails on theirs';
  if (candidate === 'pending' || original === 'pending') return 'skipped';
  return original === 'failed' ? 'guards' : 'guards nothing';
}

/**
 * Words that name an incident when its id does not appear, in the order they are tried: the
 * tenant words come before "cancel" (cancelling another shop's order is the isolation incident)
 * and "cancel" before "delete" ("cancelling does not delete the customer" is the regression).
 */
const AREA_WORDS: [string, RegExp][] = [
  ['tenant-isolation', /\btenants?\b|x-tenant-id|\bisolat|another shop|other shop|cross-shop/],
  ['cancel-regression', /\bcancel/],
  ['concurrent-oversell', /oversell|oversold|concurren|\brace\b|\bstock\b/],
  ['notification', /notif|confirmation/],
  ['summary-n-plus-one', /\bsummary\b|top customers/],
  ['analytics-load', /analytics|revenue/],
  ['seed-bulk', /\bseed/],
  ['customer-orders', /customer'?s orders|customers\/:?\w*\/orders/],
  ['soft-delete', /soft[- ]?delet|\bdelete|\barchiv/],
  ['filters', /filter|wildcard|\bescap/],
];

/** The id as words: "cancel-regression" also matches "cancel regression", "cancel_regression" and "cancelRegression". */
const idPattern = (id: string) => new RegExp(id.split('-').join('[-_ ]?'), 'i');

/**
 * The public scenario a test is about: its id in the title, else in the file's path, else the
 * words of one in the title, else in the path. Undefined when none fits.
 */
export function attribute(file: string, fullTitle: string): string | undefined {
  const ids = SCENARIOS.map((s) => s.id);
  for (const text of [fullTitle, file]) {
    const byId = ids.find((id) => idPattern(id).test(text));
    if (byId) return byId;
  }
  for (const text of [fullTitle.toLowerCase(), file.toLowerCase()]) {
    const byWords = AREA_WORDS.find(([id, words]) => ids.includes(id) && words.test(text));
    if (byWords) return byWords[0];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Grading

/** What their mocha would load from test/ (.mocharc.json: extension ts, recursive; js by default). */
const TEST_CODE = /\.(ts|js|cjs|mjs)$/;
const isTestCode = (path: string) => TEST_CODE.test(path) && !path.endsWith('.d.ts');

/**
 * Their test code that the export did not write as it is, by path relative to the repository. Line
 * endings do not count: a checkout on Windows turns every template into CRLF without a change.
 */
export function changedTestFiles(repo: string, asShipped: (path: string, text: string) => boolean): string[] {
  const dir = join(repo, 'test');
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return [];
  // readSources walks as copyCode copies: no dot entries, node_modules or symlinks.
  return Object.entries(readSources(dir))
    .map(([path, text]) => [`test/${path.split('\\').join('/')}`, text.replace(/\r\n/g, '\n')] as const)
    .filter(([path, text]) => isTestCode(path) && !asShipped(path, text))
    .map(([path]) => path);
}

/** No grading: every assigned incident unguarded, so the report still answers Part A's question. */
function empty(status: TestGrading['status'], reason: string, assignment: Pick<Assignment, 'parts' | 'features'>, files: string[] = []): TestGrading {
  return { status, reason, files, tests: [], fileErrors: [], ...summarise([], assignment) };
}

/** One file's runs on both sides as graded tests: a test that ran on one side only failed on the other, with that side's file error. */
export function mergeRuns(file: string, original: FileRun, candidate: FileRun, templateTitles?: Set<string>): GradedTest[] {
  const key = (title: string, n: number) => `${n}\u0000${title}`;
  const index = (run: FileRun) => {
    const seen = new Map<string, number>();
    return new Map(
      run.tests.map((t) => {
        const n = (seen.get(t.fullTitle) ?? 0) + 1;
        seen.set(t.fullTitle, n);
        return [key(t.fullTitle, n), t] as const;
      }),
    );
  };
  const before = index(original);
  const after = index(candidate);
  const missing = (run: FileRun) => ({ outcome: 'failed' as const, error: run.error ?? 'did not run' });
  const keys = [...new Set([...after.keys(), ...before.keys()])];
  return keys.map((k) => {
    const title = k.slice(k.indexOf('\u0000') + 1);
    const o = before.get(k) ?? missing(original);
    const c = after.get(k) ?? missing(candidate);
    const area = attribute(file, title);
    return {
      file,
      title,
      ...(area ? { area } : {}),
      original: o.outcome,
      candidate: c.outcome,
      kind: classify(o.outcome, c.outcome),
      ...(o.outcome === 'failed' ? { originalError: o.error ?? 'failed' } : {}),
      ...(c.outcome === 'failed' ? { candidateError: c.error ?? 'failed' } : {}),
      ...(templateTitles?.has(title) ? { template: true } : {}),
      ...(!before.has(k) ? { wholeFileOnOriginal: true } : {}),
    };
  });
}

/** Counts and per-incident guards over the candidate's own tests (template tests left out). */
export function summarise(tests: GradedTest[], assignment: Pick<Assignment, 'parts' | 'features'>): Pick<TestGrading, 'guarding' | 'guardsNothing' | 'failingOnTheirs' | 'incidents'> {
  const own = tests.filter((t) => !t.template);
  const count = (kind: GradedTest['kind']) => own.filter((t) => t.kind === kind).length;
  return {
    guarding: count('guards'),
    guardsNothing: count('guards nothing'),
    failingOnTheirs: count('fails on theirs'),
    incidents: assignedScenarios(assignment).map((area) => ({ area, guarded: own.some((t) => t.area === area && t.kind === 'guards') })),
  };
}

export async function gradeCandidateTests(input: SubmissionInput, options: GradingOptions = DEFAULT_GRADING_OPTIONS): Promise<TestGrading> {
  if (!input.repo) return empty('no tests', 'only a variant folder was sent', input.assignment);
  const started = performance.now();
  let staged: ReturnType<typeof stageRuns> | undefined;
  try {
    const baseline = baselineFor(input.assignment, input.repo);
    const exported = baseline.files;
    const files = changedTestFiles(input.repo, baseline.asShipped);
    if (files.length === 0) return empty('no tests', 'no test file under test/ was added or changed from the exported ones', input.assignment);
    const user = input.isolation.user;
    const ranAs = user ? `uid ${user.uid} (${user.name})` : "the reviewer's own user";
    input.onProgress?.(`${input.name}: running their ${files.length} test file(s) on the original code and on theirs, as ${ranAs}`);
    staged = stageRuns(exported, input.repo, input.variantPath);
    const deadline = started + options.totalTimeLimitMs;
    const run = async (dir: string, file: string): Promise<FileRun> => {
      const left = deadline - performance.now();
      if (left <= 0) return { tests: [], error: `not run: the grading's ${duration(options.totalTimeLimitMs)} were used up` };
      return runTestFile(dir, file, user, { ...options, fileTimeLimitMs: Math.min(options.fileTimeLimitMs, left) });
    };
    // One side after the other, not both at once: a test that times something should not race its twin.
    const tests: GradedTest[] = [];
    const fileErrors: TestGrading['fileErrors'] = [];
    for (const file of files) {
      const original = await run(staged.original, file);
      const candidate = await run(staged.candidate, file);
      const template = exported.get(file);
      const templateTitles = template !== undefined ? await listTestTitles(staged.original, file, template, user, options) : undefined;
      tests.push(...mergeRuns(file, original, candidate, templateTitles && new Set(templateTitles)));
      if (original.error || candidate.error) fileErrors.push({ file, ...(original.error ? { original: original.error } : {}), ...(candidate.error ? { candidate: candidate.error } : {}) });
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const unrun = fileErrors.filter((e) => e.candidate && !tests.some((t) => t.file === e.file));
    let grading: TestGrading;
    if (tests.length === 0 && unrun.length > 0) {
      grading = { ...empty('could not run', unrun.map((e) => `${e.file} ${e.candidate}`).join('; '), input.assignment, files), fileErrors, ranAs, seconds };
    } else if (tests.length === 0) {
      grading = { ...empty('no tests', 'the test files added or changed hold no tests', input.assignment, files), fileErrors, ranAs, seconds };
    } else {
      grading = { status: 'graded', files, tests, ...summarise(tests, input.assignment), fileErrors, ranAs, seconds };
    }
    input.onProgress?.(
      `${input.name}: their tests graded in ${duration(seconds * 1000)}: ` +
        (grading.status === 'graded' ? `${grading.guarding} guard(s), ${grading.guardsNothing} guard nothing, ${grading.failingOnTheirs} fail on theirs` : `${grading.status} (${grading.reason})`),
    );
    return grading;
  } catch (err) {
    // The review goes on whatever happened here; the report says why there is no grading.
    const grading = empty('could not run', `the lab could not run them: ${(err as Error).message.split('\n')[0]}`, input.assignment);
    input.onProgress?.(`${input.name}: their tests could not be graded: ${grading.reason}`);
    return grading;
  } finally {
    staged?.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

const cell = (text: string, max = 100) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return (flat.length > max ? `${flat.slice(0, max - 1)}…` : flat).replace(/\|/g, '\\|');
};

/** Part A's incidents: the part that asks, in so many words, for a test that fails before the fix. */
const PART_A = PARTS.find((part) => part.id === 'regression')!;

export function renderTestGrading(grading: TestGrading, audience: RubricAudience): string {
  const candidate = audience === 'candidate';
  const their = candidate ? 'your' : 'their';
  const theirs = candidate ? 'yours' : 'theirs';
  const own = grading.tests.filter((t) => !t.template);
  const kept = grading.tests.length - own.length;
  const lines = [`## ${candidate ? 'Your' : 'Their'} tests`, ''];
  if (grading.status === 'graded') {
    lines.push(
      `${grading.files.length} test file(s) added or changed (${grading.files.map((f) => `\`${f}\``).join(', ')}), each run on the original code and on ${theirs}` +
        `${grading.ranAs ? ` as ${grading.ranAs}` : ''}${grading.seconds !== undefined ? ` (${duration(grading.seconds * 1000)})` : ''}: ` +
        `**${grading.guarding} guard** an incident (fail on the original, pass on ${theirs}), ${grading.guardsNothing} guard nothing (pass on both), ` +
        `${grading.failingOnTheirs} fail on ${theirs}${kept ? `; ${kept} test(s) kept from the exercise's own test files ran and are not counted` : ''}.`,
    );
  } else {
    lines.push(`${grading.status === 'no tests' ? 'No tests to grade' : `${candidate ? 'Your' : 'Their'} tests could not be run`}: ${grading.reason ?? grading.status}.`);
  }
  lines.push('');
  const partA = grading.incidents.filter((i) => PART_A.scenarios.includes(i.area));
  if (partA.length) {
    lines.push('Part A asks for a test that fails before the fix:', '');
    for (const incident of partA) {
      const guard = own.find((t) => t.area === incident.area && t.kind === 'guards');
      lines.push(
        guard
          ? `- \`${incident.area}\`: yes, "${cell(guard.title)}" fails on the original code and passes on ${theirs}.`
          : `- \`${incident.area}\`: no, no test of ${their}s about it fails on the original code and passes on ${theirs}.`,
      );
    }
    lines.push('');
  }
  const others = grading.incidents.filter((i) => !PART_A.scenarios.includes(i.area));
  if (others.length && grading.status === 'graded') {
    const guarded = others.filter((i) => i.guarded).map((i) => `\`${i.area}\``);
    const open = others.filter((i) => !i.guarded).map((i) => `\`${i.area}\``);
    lines.push(`Other incidents guarded by a test: ${guarded.join(', ') || 'none'}${open.length ? `; not guarded: ${open.join(', ')}` : ''}.`, '');
  }
  if (own.length) {
    const outcome = (o: Outcome, error?: string) => (o === 'failed' && error ? `failed: ${cell(error, 80)}` : o);
    lines.push(`| test | incident | original | ${theirs} | kind |`, '| --- | --- | --- | --- | --- |');
    for (const t of own) {
      lines.push(`| ${cell(t.title)} (\`${t.file}\`) | ${t.area ? `\`${t.area}\`` : '?'} | ${outcome(t.original, t.originalError)} | ${outcome(t.candidate, t.candidateError)} | ${t.kind} |`);
    }
    lines.push('');
  }
  const byFile = own.filter((t) => t.kind === 'guards' && t.wholeFileOnOriginal).length;
  if (byFile && !candidate) {
    lines.push(`Of the guards, ${byFile} fail on the original only because their whole file does (it does not load there, a hook fails, or it does not finish): check that they test the incident.`, '');
  }
  const unattributed = own.filter((t) => !t.area).length;
  if (unattributed) lines.push(`Not attributed to an incident (no scenario id or its words in the title or the file's path): ${unattributed} test(s), marked "?".`, '');
  for (const e of grading.fileErrors.filter((e) => e.candidate)) lines.push(`- \`${e.file}\` on ${theirs}: ${cell(e.candidate!, 200)}`);
  return lines.join('\n').trimEnd();
}
