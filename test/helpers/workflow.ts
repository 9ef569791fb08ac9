// Runs a GitHub Actions job's steps on this machine, the way a runner would, so that a test proves a
// workflow's commands work on the code they ship with: `run:` steps in order, with bash as GitHub
// runs it, the workflow's, job's and step's `env:`, the variables GitHub provides, the `if:`
// conditions that decide whether a step runs after a failure, `$GITHUB_OUTPUT` read back as the
// step's outputs, and the job's service containers reached where the test's stand-ins for them
// listen. `uses:` steps are not run: each goes to a handler the test gives for its action (to check
// or stand in for it), and an action without one is an error. So is any expression, shell
// or condition this runner does not know: the test fails rather than pretending to run the workflow.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

type Env = Record<string, string>;

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Env;
  if?: string;
  shell?: string;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}

interface Defaults {
  run?: { shell?: string; 'working-directory'?: string };
}

export interface Job {
  'runs-on': string;
  needs?: string | string[];
  if?: string;
  env?: Env;
  defaults?: Defaults;
  services?: Record<string, { image: string; env?: Env; ports?: string[]; options?: string }>;
  strategy?: { matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name?: string;
  on: unknown;
  env?: Env;
  defaults?: Defaults;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

export const readWorkflow = (path: string): Workflow => parse(readFileSync(path, 'utf8')) as Workflow;

/** A step's label in messages: its name, else its command or action. */
export const stepLabel = (step: Step): string => step.name ?? step.uses ?? step.run!.trim().split('\n')[0]!;

export interface StepRun {
  step: Step;
  label: string;
  outcome: 'success' | 'failure' | 'skipped';
  /** Exit status of a `run:` step that ran. */
  status?: number | null;
  output: string;
  outputs: Env;
}

export interface RunJobOptions {
  /** $GITHUB_WORKSPACE: where the checkout is. */
  workspace: string;
  /** Values of the expressions the job's `env:`, `with:` and conditions use (`matrix.candidate.name`), by their text. */
  expressions?: Env;
  /** What stands in for each action (`actions/checkout@v4`), called where the runner would run it. */
  actions: Record<string, (step: Step, workspace: string) => void>;
  /** Commands not run here, with the reason (the lab's own node_modules stands in for `npm ci`). */
  skip?: Record<string, string>;
  /** The environment under GitHub's and the workflow's: PATH, HOME and the like. */
  baseEnv?: Env;
  /**
   * Where the stand-in for each of the job's service containers listens, by its name under
   * `services:`. GitHub publishes a container's port on the runner (`ports: ['5432:5432']`), so a
   * job reaches it at localhost:5432; a stand-in here listens elsewhere (a throwaway server on a free
   * port, so that this machine's own PostgreSQL is never touched), and every `env:` value naming
   * localhost:<published port> is rewritten to it. Only `env:` values: the commands run as written.
   */
  services?: Record<string, { host: string; port: number }>;
  timeoutMs?: number;
}

export interface JobRun {
  steps: StepRun[];
  /** What the steps appended to $GITHUB_STEP_SUMMARY. */
  summary: string;
}

const unwrap = (expression: string) => expression.trim().replace(/^\$\{\{\s*([\s\S]*?)\s*\}\}$/, '$1');

/** A value with `${{ … }}` inside, each replaced by its known value. */
function substitute(value: string, known: (expression: string) => string | undefined, where: string): string {
  return value.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expression: string) => {
    const found = known(expression);
    if (found === undefined) throw new Error(`${where}: the local runner has no value for \${{ ${expression} }}`);
    return found;
  });
}

/** GitHub's step conditions, as far as the workflows use them: status functions and step outcomes, joined by &&. */
function shouldRun(condition: string | undefined, failed: boolean, known: (expression: string) => string | undefined, where: string): boolean {
  if (condition === undefined) return !failed;
  return unwrap(condition)
    .split(/\s*&&\s*/)
    .every((term) => {
      if (term === '!cancelled()' || term === 'always()') return true;
      if (term === 'success()') return !failed;
      if (term === 'failure()') return failed;
      const comparison = /^([\w.-]+) (==|!=) '([^']*)'$/.exec(term);
      const value = comparison ? known(comparison[1]!) : undefined;
      if (!comparison || value === undefined) throw new Error(`${where}: the local runner cannot evaluate "${term}" in if: ${condition}`);
      return (value === comparison[3]) === (comparison[2] === '==');
    });
}

/** `name=value` lines and `name<<EOF` blocks, as a step writes them to $GITHUB_OUTPUT. */
function parseOutputs(text: string): Env {
  const outputs: Env = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const block = /^([\w-]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      outputs[block[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return outputs;
}

/** Runs job `name` of `workflow` in `options.workspace`, step by step; never throws for a failing step. */
export function runJob(workflow: Workflow, name: string, options: RunJobOptions): JobRun {
  const job = workflow.jobs[name];
  if (!job) throw new Error(`the workflow has no job "${name}"`);
  const scratch = mkdtempSync(join(tmpdir(), 'workflow-run-'));
  const summaryFile = join(scratch, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const runs: StepRun[] = [];
  const outcomes = new Map<string, StepRun>();
  const known = (expression: string): string | undefined => {
    const step = /^steps\.([\w-]+)\.(outcome|conclusion)$/.exec(expression);
    if (step) return outcomes.get(step[1]!)?.outcome;
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return outcomes.get(output[1]!)?.outputs[output[2]!];
    return options.expressions?.[expression];
  };
  const published: [string, string][] = Object.entries(options.services ?? {}).flatMap(([service, at]) => {
    const ports = job.services?.[service]?.ports;
    if (!ports?.length) throw new Error(`job ${name}: a stand-in for the service "${service}", which the job does not publish (services.${service}.ports)`);
    return ports.map((spec) => [`localhost:${String(spec).split(':')[0]}`, `${at.host}:${at.port}`] as [string, string]);
  });
  const toServices = (value: string) => published.reduce((text, [from, to]) => text.split(from).join(to), value);
  const jobEnv = (where: string) =>
    Object.fromEntries(Object.entries({ ...workflow.env, ...job.env }).map(([key, value]) => [key, toServices(substitute(String(value), known, where))]));
  let failed = false;
  for (const [index, step] of job.steps.entries()) {
    const label = stepLabel(step);
    const where = `job ${name}, step ${index + 1} (${label})`;
    const record: StepRun = { step, label, outcome: 'skipped', output: '', outputs: {} };
    runs.push(record);
    if (step.id) outcomes.set(step.id, record);
    if (!shouldRun(step.if, failed, known, where)) continue;
    if (step.uses) {
      const action = options.actions[step.uses];
      if (!action) throw new Error(`${where}: no stand-in for the action ${step.uses}`);
      action({ ...step, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, substitute(String(value), known, where)])) }, options.workspace);
      record.outcome = 'success';
      continue;
    }
    const script = step.run!;
    if (options.skip?.[script.trim()] !== undefined) {
      record.outcome = 'success';
      record.output = `not run here: ${options.skip[script.trim()]}`;
      continue;
    }
    if (script.includes('${{')) throw new Error(`${where}: an expression inside run: (pass it through env: instead, as GitHub advises)`);
    const shell = step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell;
    if (shell !== 'bash') throw new Error(`${where}: the local runner runs shell: bash only, not ${shell ?? 'the default'}`);
    const directory = step['working-directory'] ?? job.defaults?.run?.['working-directory'] ?? workflow.defaults?.run?.['working-directory'] ?? '.';
    const outputFile = join(scratch, `output-${index}`);
    const scriptFile = join(scratch, `step-${index}.sh`);
    writeFileSync(outputFile, '');
    writeFileSync(scriptFile, script);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, toServices(substitute(String(value), known, where))]));
    const env: Env = {
      ...options.baseEnv,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: scratch,
      ...jobEnv(where),
      ...stepEnv,
    };
    // What GitHub runs for `shell: bash`.
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
      cwd: resolve(options.workspace, directory),
      env,
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 900_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    record.status = result.status;
    record.output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
    record.outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
    record.outcome = result.status === 0 ? 'success' : 'failure';
    if (record.outcome === 'failure' && !step['continue-on-error']) failed = true;
  }
  return { steps: runs, summary: readFileSync(summaryFile, 'utf8') };
}
