// Runs a candidate's test files the way their `npm test` would, but on the lab's terms: in a copy of
// the lab's own export for their assignment (so an edit of theirs to the harness or the service
// cannot change what their tests are run against), once with the original code and once with
// theirs, each file in a mocha process of its own, as the review's sandbox user, with the confined
// environment and a time limit that ends the whole process group.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { duration } from '../../harness/report/format';
import { confinedEnvironment, LAB_ROOT, type SandboxUser } from '../../harness/sandbox';
import { APP_VARIANT } from '../export';
// review.ts reaches this module through submission/index.ts; copyCode is looked up when called, after
// both have loaded, so the import cycle is harmless.
import { copyCode } from '../review';

export type Outcome = 'passed' | 'failed' | 'pending';

export interface RanTest {
  title: string;
  fullTitle: string;
  outcome: Outcome;
  /** The first line of the failure's message. */
  error?: string;
}

export interface FileRun {
  tests: RanTest[];
  /**
   * Why the file as a whole gave no (or not every) result: it did not load, did not finish in
   * time, ended mocha early, or a hook failed (then the tests under it never ran).
   */
  error?: string;
}

export interface RunLimits {
  /** Mocha's --timeout for each test: the template's .mocharc.json gives 120 s (a test may run a scenario). */
  testTimeoutMs: number;
  /** One file on one side of the comparison; past it the process group is killed. */
  fileTimeLimitMs: number;
}

/** Files an export writes that a test run has no use for, or that must come from the candidate. */
const NOT_STAGED = (path: string) => path.startsWith('test/') || path === 'exercise.json';

function writeExport(files: Map<string, string>, dir: string): void {
  for (const [path, text] of files) {
    if (NOT_STAGED(path)) continue;
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    writeFileSync(target, text, { mode: 0o644 });
  }
}

export interface StagedRuns {
  /** Both copies are complete projects: mocha runs from either with the same relative paths. */
  original: string;
  candidate: string;
  remove(): void;
}

/**
 * Two runnable copies of the export for the candidate's assignment, each with the candidate's
 * test/ folder (all of it: unchanged templates and helpers are what their tests import) and their
 * exercise.json (the template scenario test reads their declared Part B choice from it):
 * - original: variants/ as exported, the original code at variants/app (and under the name of
 *   their variant folder too, when they renamed it, so their imports resolve on both sides);
 * - candidate: their variants/ folder as sent laid over the exported one, as stageCandidate runs
 *   it (a variant folder sent alone replaces variants/app only).
 * Both are owned by the lab's user, folders 0755 and files 0644 (copyCode), so the sandbox user
 * reads them and cannot change them. node_modules is a link to the lab's packages: a forked
 * service (the template's scenario test forks harness/serve.ts) resolves them by plain Node rules,
 * which the lab-modules preload of a confined service does not reach.
 */
export function stageRuns(exported: Map<string, string>, repo: string, variantPath: string): StagedRuns {
  const root = mkdtempSync(join(tmpdir(), 'regression-lab-tests-'));
  chmodSync(root, 0o755);
  try {
    const modules = realpathSync(join(LAB_ROOT, 'node_modules'));
    const variantName = basename(variantPath);
    const inVariants = basename(dirname(variantPath)) === 'variants';
    const stage = (side: 'original' | 'candidate') => {
      const dir = join(root, side);
      mkdirSync(dir, { mode: 0o755 });
      writeExport(exported, dir);
      copyCode(join(repo, 'test'), join(dir, 'test'));
      const exercise = join(repo, 'exercise.json');
      const ownExercise = existsSync(exercise) && lstatSync(exercise).isFile();
      writeFileSync(join(dir, 'exercise.json'), ownExercise ? readFileSync(exercise) : exported.get('exercise.json') ?? '{}', { mode: 0o644 });
      symlinkSync(modules, join(dir, 'node_modules'), 'dir');
      if (side === 'original' && variantName !== APP_VARIANT) copyCode(join(dir, 'variants', APP_VARIANT), join(dir, 'variants', variantName));
      if (side === 'candidate') copyCode(inVariants ? dirname(variantPath) : variantPath, inVariants ? join(dir, 'variants') : join(dir, 'variants', APP_VARIANT));
      return dir;
    };
    return { original: stage('original'), candidate: stage('candidate'), remove: () => rmSync(root, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

const MOCHA = join(LAB_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
const OUTPUT_TAIL = 4_000;

interface MochaJson {
  tests?: { title: string; fullTitle: string; err?: { message?: string } }[];
  passes?: { fullTitle: string }[];
  failures?: { title: string; fullTitle: string; err?: { message?: string } }[];
  pending?: { fullTitle: string }[];
}

const firstLine = (text: string | undefined) => (text ?? '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 200);

/** What mocha said when it gave no report: its "Exception during run: Error: ..." line, else its last line. */
function crashReason(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const exception = lines.find((line) => /Exception during run:|^\w*Error\b|Error:/.test(line));
  return (exception ?? lines.at(-1) ?? 'no output').replace(/^.*Exception during run:\s*/, '').slice(0, 200);
}

/** Mocha's JSON report as outcomes; a hook failure (listed with the failures, not the tests) is the file's error. */
export function readMochaJson(report: MochaJson): FileRun {
  const passed = new Set((report.passes ?? []).map((t) => t.fullTitle));
  const pending = new Set((report.pending ?? []).map((t) => t.fullTitle));
  const tests: RanTest[] = (report.tests ?? []).map((t) => {
    const outcome: Outcome = pending.has(t.fullTitle) ? 'pending' : passed.has(t.fullTitle) && !t.err?.message ? 'passed' : 'failed';
    return { title: t.title, fullTitle: t.fullTitle, outcome, ...(outcome === 'failed' ? { error: firstLine(t.err?.message) ?? 'failed' } : {}) };
  });
  const known = new Set(tests.map((t) => t.fullTitle));
  const hook = (report.failures ?? []).find((f) => !known.has(f.fullTitle));
  return { tests, ...(hook ? { error: `${hook.title} failed: ${firstLine(hook.err?.message) ?? 'no message'}` } : {}) };
}

/** A folder the sandbox user may write (mocha's report), and nobody else may. */
function scratchFor(user: SandboxUser | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'regression-lab-test-report-'));
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

/** One test file in mocha, from `dir`, confined as the service of a candidate is. */
export async function runTestFile(dir: string, file: string, user: SandboxUser | undefined, limits: RunLimits, dryRun = false): Promise<FileRun> {
  const scratch = scratchFor(user);
  const report = join(scratch, 'report.json');
  try {
    // --no-config: their .mocharc.json (and the lab's) play no part; --exit: a server or pool a test
    // leaves open must not pass for a hang; the report goes to a file, as their tests may print.
    const args = [MOCHA, '--no-config', '--no-package', '--require', require.resolve('ts-node/register'), '--extension', 'ts', '--timeout', String(limits.testTimeoutMs), '--exit', ...(dryRun ? ['--dry-run'] : []), '--reporter', 'json', '--reporter-option', `output=${report}`, file];
    const env = { ...confinedEnvironment(dir, user), TS_NODE_PROJECT: join(dir, 'tsconfig.json') };
    const child = spawn(process.execPath, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    // The group: the service processes a test forks go with it.
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), killGroup()), limits.fileTimeLimitMs);
    const exit = await new Promise<string>((resolve) => {
      child.once('error', (err) => resolve(`could not start mocha: ${err.message}`));
      child.once('close', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
    });
    clearTimeout(timer);
    killGroup();
    if (timedOut) return { tests: [], error: `did not finish within ${duration(limits.fileTimeLimitMs)}; stopped` };
    if (!existsSync(report)) return { tests: [], error: `gave no results (mocha ended with ${exit}): ${crashReason(output)}` };
    try {
      return readMochaJson(JSON.parse(readFileSync(report, 'utf8')) as MochaJson);
    } catch (err) {
      return { tests: [], error: `gave a report mocha did not write: ${(err as Error).message}` };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The full titles a file of the export's declares (mocha --dry-run: loaded, no test or hook run),
 * written beside the candidate's version of it in `dir`, so its relative imports resolve alike.
 */
export async function listTestTitles(dir: string, file: string, text: string, user: SandboxUser | undefined, limits: RunLimits): Promise<string[] | undefined> {
  const copy = join(dirname(file), `lab-template.${basename(file)}`);
  writeFileSync(join(dir, copy), text, { mode: 0o644 });
  try {
    const listed = await runTestFile(dir, copy, user, limits, true);
    return listed.error ? undefined : listed.tests.map((t) => t.fullTitle);
  } finally {
    rmSync(join(dir, copy), { force: true });
  }
}
