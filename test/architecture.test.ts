// The dependency rule the layout promises: the service knows the variants only through their
// contract, scenarios know the harness only through harness/scenario.ts, and the harness knows
// nothing of the hiring tools (exercise/ uses the harness, never the other way round), so an export
// can copy it unchanged. Which variant plays which role is data, read in one place.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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
});
