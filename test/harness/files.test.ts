// The lab's one folder walker (harness/files.ts): what it lists, in what order, and what it never
// lists or follows.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walkTree } from '../../harness/files';

describe('walkTree', () => {
  let root: string;
  let outside: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'lab-walk-'));
    outside = mkdtempSync(join(tmpdir(), 'lab-walk-outside-'));
    writeFileSync(join(outside, 'secret.ts'), 'export const key = 1;');
    for (const dir of ['b/inner', 'a', 'node_modules/knex', '.git', 'test']) mkdirSync(join(root, dir), { recursive: true });
    for (const [path, text] of <[string, string][]>[['b/inner/z.ts', 'z'], ['b/y.ts', 'yy'], ['a/x.ts', 'x'], ['node_modules/knex/index.js', ''], ['.git/HEAD', ''], ['.env', 'SECRET=1'], ['test/t.ts', 't']]) writeFileSync(join(root, path), text);
    symlinkSync(outside, join(root, 'linked-folder'));
    symlinkSync(join(outside, 'secret.ts'), join(root, 'a', 'linked.ts'));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('lists files sorted by relative path with their sizes, without node_modules, dot entries or links', () => {
    expect(walkTree(root)).to.deep.equal([
      { path: 'a/x.ts', folder: false, size: 1 },
      { path: 'b/inner/z.ts', folder: false, size: 1 },
      { path: 'b/y.ts', folder: false, size: 2 },
      { path: 'test/t.ts', folder: false, size: 1 },
    ]);
  });

  it('lists folders before what they hold when asked', () => {
    expect(walkTree(root, { folders: true }).map((e) => `${e.path}${e.folder ? '/' : ''}`)).to.deep.equal(['a/', 'a/x.ts', 'b/', 'b/inner/', 'b/inner/z.ts', 'b/y.ts', 'test/', 'test/t.ts']);
  });

  it('takes other name rules and leaves out paths with all they hold', () => {
    const paths = walkTree(root, { skipName: (name) => name === 'node_modules' || name === '.git', skipPath: (path) => path === 'b/inner' || path === 'test' }).map((e) => e.path);
    expect(paths).to.deep.equal(['.env', 'a/x.ts', 'b/y.ts']);
  });
});
