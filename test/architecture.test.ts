// The dependency rule the layout promises: the service knows the variants only through their
// contract, scenarios know the harness only through harness/scenario.ts, and the harness knows
// nothing of the hiring tools (exercise/ uses the harness, never the other way round), so an export
// can copy it unchanged. Which variant plays which role is data, read in one place.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { relativeSpecifiers } from '../exercise/imports';

const ROOT = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/**
 * Repository-relative paths of the local modules a file imports, requires, import()s or
 * require.resolve()s: the scanner the export uses, so a `require(` cannot slip past the rule.
 */
function localImports(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  return relativeSpecifiers(text, file).map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)));
}

/** Every source file of the lab's code (tests and fixtures aside), by path. */
const labSources = () => new Map(['harness', 'exercise', 'scenarios', 'service', 'variants'].flatMap(sources).map((file) => [file, readFileSync(join(ROOT, file), 'utf8')]));

/** `process.<member>` in code, found by TypeScript's parser: comments and strings do not count (the sandbox probe is a string). */
function usesProcess(text: string, member: string): boolean {
  const found = (node: ts.Node): boolean =>
    (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && node.name.text === member) ||
    ts.forEachChild(node, found) === true;
  return found(ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true));
}

/** The settings rules (harness/settings.ts): who reads the environment and argv, and where the default server is named. */
const SETTINGS_RULES = {
  /** The settings module, and the two spawners that build a child's environment from ours. */
  environment: ['harness/sandbox.ts', 'harness/service-process.ts', 'harness/settings.ts'],
  argv: ['harness/settings.ts'],
  defaultServer: ['harness/settings.ts'],
};

function settingsViolations(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    if (usesProcess(text, 'env') && !SETTINGS_RULES.environment.includes(file)) found.push(`${file} reads process.env`);
    if (usesProcess(text, 'argv') && !SETTINGS_RULES.argv.includes(file)) found.push(`${file} reads process.argv`);
    if (/from 'node:util'/.test(text) && /\bparseArgs\b/.test(text) && !SETTINGS_RULES.argv.includes(file)) found.push(`${file} parses argv itself`);
    if (text.includes('127.0.0.1:5432') && !SETTINGS_RULES.defaultServer.includes(file)) found.push(`${file} names the default database server`);
    // An entry point runs through runCommand: one parse, one environment read, one Ctrl-C.
    if (/require\.main === module/.test(text) && !/require\.main === module\) runCommand\(/.test(text)) found.push(`${file} is an entry point that does not go through runCommand`);
  }
  return found;
}

/**
 * Module-level state in a file: a top-level `let`/`var`, or a top-level const holding an empty
 * collection to fill (`new Map()`, `new Set()`, `[]`, `{}`). Data (a lookup Set of words, a table)
 * and functions are fine.
 */
function moduleState(text: string): string[] {
  const file = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const mutable = (statement.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== ts.NodeFlags.Const;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      const collection =
        init !== undefined &&
        ((ts.isNewExpression(init) && ts.isIdentifier(init.expression) && ['Map', 'Set', 'WeakMap', 'WeakSet'].includes(init.expression.text) && !init.arguments?.length) ||
          (ts.isArrayLiteralExpression(init) && init.elements.length === 0) ||
          (ts.isObjectLiteralExpression(init) && init.properties.length === 0));
      if (mutable || collection) found.push(declaration.name.getText(file));
    }
  }
  return found;
}

/** The dependency rule for service/: itself and the variants' contract, nothing else of ours. */
const serviceMayImport = (target: string) => target.startsWith('service/') || target === 'variants/contract';

describe('architecture', () => {
  it('service/ imports nothing of ours but itself and variants/contract.ts', () => {
    for (const file of sources('service')) {
      for (const target of localImports(file)) expect(serviceMayImport(target), `${file} imports ${target}`).to.equal(true);
    }
  });

  it('catches a service file that reaches past the contract by require(), import() or require.resolve()', () => {
    const file = 'service/routes/orders.ts';
    const violations = (text: string) => localImports(file, text).filter((target) => !serviceMayImport(target));
    expect(violations("const broken = require('../../variants/broken/orders');")).to.deep.equal(['variants/broken/orders']);
    expect(violations("const fixed = await import('../../variants/fixed');")).to.deep.equal(['variants/fixed']);
    expect(violations("fork(require.resolve('../../harness/serve'));")).to.deep.equal(['harness/serve']);
    expect(violations("import type { Variant } from '../../variants/contract';\nconst e = require('../errors');")).to.deep.equal([]);
    // Text that only looks like an import is not one.
    expect(localImports(file, "// require('../../variants/broken')\nconst s = \"import x from '../../harness/run'\";")).to.deep.equal([]);
  });

  it('scenarios/ reach the harness only through harness/scenario.ts', () => {
    for (const file of sources('scenarios')) {
      for (const target of localImports(file)) {
        expect(target.startsWith('scenarios/') || target === 'harness/scenario', `${file} imports ${target}`).to.equal(true);
      }
    }
  });

  it('harness/, scenarios/ and service/ import nothing from exercise/: reviewer-only code lives there and is never copied', () => {
    for (const file of [...sources('harness'), ...sources('scenarios'), ...sources('service')]) {
      for (const target of localImports(file)) expect(target.startsWith('exercise/'), `${file} imports ${target}`).to.equal(false);
    }
  });

  it('reads the variant configuration (variants/variants.json) in harness/roles.ts only', () => {
    const readers = ['harness', 'exercise', 'scenarios', 'service', 'variants']
      .flatMap(sources)
      .filter((file) => readFileSync(join(ROOT, file), 'utf8').includes('variants.json'));
    expect(readers).to.deep.equal(['harness/roles.ts']);
  });

  it('broken/ and fixed/ have the same file names, so diffing them reads as the answer key', () => {
    const names = (variant: string) => readdirSync(join(ROOT, 'variants', variant)).sort();
    expect(names('broken')).to.deep.equal(names('fixed'));
  });

  it('every scenario is named by an exposed-by tag in broken/', () => {
    const tags = sources('variants/broken').map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    const scenarios = sources('scenarios').map((f) => f.replace(/^scenarios\/|\.ts$/g, '')).filter((id) => !['index', 'support', 'oracles', 'rules'].includes(id));
    for (const id of scenarios) expect(tags, id).to.include(`exposed-by: ${id}`);
  });

  it('reads the environment in harness/settings.ts and the two spawners only, argv and the default server in harness/settings.ts only, and starts every command through runCommand', () => {
    const files = labSources();
    expect(settingsViolations(files)).to.deep.equal([]);
    // Each rule holds something real: the files it allows do what it allows them alone to do.
    for (const file of SETTINGS_RULES.environment) expect(usesProcess(files.get(file)!, 'env'), file).to.equal(true);
    expect(usesProcess(files.get('harness/settings.ts')!, 'argv')).to.equal(true);
    expect([...files.values()].filter((text) => text.includes('127.0.0.1:5432'))).to.have.length(1);
  });

  it('catches an entry point that reads the environment or argv itself, names the default server again, or skips runCommand', () => {
    const planted = new Map([
      ['harness/bench/new-bench.ts', "const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';"],
      ['exercise/new-tool.ts', "import { parseArgs } from 'node:util';\nconst { values } = parseArgs({ args: process.argv.slice(2), options: {} });"],
      ['harness/other.ts', 'if (require.main === module) {\n  main(process.argv.slice(2)).then((code) => process.exit(code));\n}'],
    ]);
    expect(settingsViolations(planted)).to.deep.equal([
      'harness/bench/new-bench.ts reads process.env',
      'harness/bench/new-bench.ts names the default database server',
      'exercise/new-tool.ts reads process.argv',
      'exercise/new-tool.ts parses argv itself',
      'harness/other.ts reads process.argv',
      'harness/other.ts is an entry point that does not go through runCommand',
    ]);
    // Words in comments and strings are not reads: the sandbox's probe is JavaScript in a string.
    const quiet = new Map([['harness/quiet.ts', "// process.env is read in settings.ts\nconst probe = `JSON.parse(process.argv[1])`;\nconst s = 'process.env';"]]);
    expect(settingsViolations(quiet)).to.deep.equal([]);
  });

  it('keeps no module-level state in harness/: a command or a test owns what it fills (a run its context, a command its cleanups)', () => {
    const stateful = [...labSources()].filter(([file]) => file.startsWith('harness/')).flatMap(([file, text]) => moduleState(text).map((name) => `${file}: ${name}`));
    expect(stateful).to.deep.equal([]);
  });

  it('catches module-level state, and lets constants and functions through', () => {
    expect(moduleState('const pendingCleanups = new Set<() => Promise<unknown>>();\nlet tenants = 0;\nvar seen = [];\nexport const cache = {};')).to.deep.equal(['pendingCleanups', 'tenants', 'seen', 'cache']);
    expect(moduleState("const WORDS = new Set(['where', 'join']);\nexport const SIZES = { small: [3, 10, 30] };\nconst ROUNDS = 3;\nconst LIST = ['a'] as const;\nexport function f() { let n = 0; const m = new Map(); return [n, m]; }")).to.deep.equal([]);
  });
});
