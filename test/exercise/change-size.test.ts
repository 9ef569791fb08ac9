// The size of a submission's change, on hand-made submissions written from the export: a small fix,
// a rewrite, the original replaced by new files, edits outside variants/, a bare variant folder.
import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { areasByLine, stripTags } from '../../exercise/submission/areas';
import { measureChange, renderChange, REWRITE_SHARE, type ChangeSize } from '../../exercise/submission/change';
import { digest, SHIPPED_FILE } from '../../exercise/shipped';
import { exportedRepo, submissionInput } from './submission-support';

const ALT_ROWLOCK = resolve(__dirname, 'fixtures', 'alt-rowlock');
const CANCEL_HOOK = "  if (order.status === 'cancelled') {\n    await knex('customers').where({ id: order.customerId }).del();\n  }\n";

const area = (change: ChangeSize, id: string) => change.areas.find((a) => a.area === id)!;

describe('submission: the size of the change', function () {
  this.timeout(60_000);
  const made: string[] = [];
  const repoFor = (parts?: Parameters<typeof exportedRepo>[0]) => {
    const exported = exportedRepo(parts);
    made.push(exported.repo);
    return { ...exported, app: join(exported.repo, 'variants', 'app') };
  };
  const measure = (r: ReturnType<typeof repoFor>) => measureChange(submissionInput({ repo: r.repo, variantPath: r.app, assignment: r.assignment }));
  after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  describe('which area a line belongs to', () => {
    it('reads the tags of the original code: a tag alone on its line names the next line, a tag at the end names its own', () => {
      const { text, tags } = stripTags('a\n  // exposed-by: one\nb\nc // exposed-by: two\nd\n');
      expect(text).to.equal('a\nb\nc\nd\n');
      expect([...tags]).to.deep.equal([[1, 'one'], [2, 'two']]);
    });

    it('gives a tag-holding function to its tags (the nearest one when it holds two), and other lines to no area', () => {
      const text = ['const x = 1;', 'function f() {', '  a();', '  b();', '  c();', '  d();', '}', 'function g() {', '  e();', '}'].join('\n');
      const lines = areasByLine(text, new Map([[2, 'first'], [5, 'second']]));
      expect(lines).to.deep.equal([undefined, 'first', 'first', 'first', 'second', 'second', 'second', undefined, undefined, undefined]);
    });
  });

  it('credits a small fix of the cancel hook to cancel-regression, with no rewrite flag, beside the reference\'s own change', () => {
    const r = repoFor();
    const orders = join(r.app, 'orders.ts');
    const before = readFileSync(orders, 'utf8');
    expect(before).to.include(CANCEL_HOOK);
    writeFileSync(orders, before.replace(CANCEL_HOOK, ''));
    const change = measure(r);
    // Two of the file's 45 code lines (the closing brace is no code of its own).
    expect(change.files).to.deep.equal([{ file: 'orders.ts', path: 'variants/app/orders.ts', status: 'modified', added: 0, removed: 3, replaced: 2 / 45, rewrite: false, referenceReplaced: change.files[0]!.referenceReplaced }]);
    expect(change.files[0]!.referenceReplaced).to.be.greaterThan(0);
    expect(area(change, 'cancel-regression').candidate).to.deep.equal({ files: 1, added: 0, removed: 3 });
    expect(area(change, 'cancel-regression').reference.removed).to.be.greaterThan(0);
    for (const other of change.areas.filter((a) => a.area !== 'cancel-regression')) expect(other.candidate, other.area).to.deep.equal({ files: 0, added: 0, removed: 0 });
    expect(change.flags).to.deep.equal([]);
    expect(change).to.deep.include({ outside: [], tests: [], writeUp: 'as exported', compared: 'repository', added: 0, removed: 3 });
  });

  it('sees no change in an untouched export, with CRLF line endings, or with the hint tags an export kept', () => {
    const r = repoFor();
    expect(measure(r).files).to.deep.equal([]);
    const orders = join(r.app, 'orders.ts');
    const text = readFileSync(orders, 'utf8');
    writeFileSync(orders, text.replace(/\n/g, '\r\n'));
    expect(measure(r).files, 'CRLF').to.deep.equal([]);
    writeFileSync(orders, text.replace("const row = await knex('orders').where({ id }).first();", "const row = await knex('orders').where({ id }).first(); // exposed-by: tenant-isolation"));
    expect(measure(r).files, 'hints kept').to.deep.equal([]);
  });

  it('flags a file replaced by a different implementation as a rewrite, with the share of its lines replaced', () => {
    const r = repoFor();
    const alt = readFileSync(join(ALT_ROWLOCK, 'orders.ts'), 'utf8').replace(/(\.\.\/)+variants\//g, '../');
    writeFileSync(join(r.app, 'orders.ts'), alt);
    const change = measure(r);
    const file = change.files.find((f) => f.file === 'orders.ts')!;
    expect(file.rewrite).to.equal(true);
    expect(file.replaced).to.be.at.least(REWRITE_SHARE);
    expect(change.flags.some((flag) => new RegExp(`^orders\\.ts was rewritten \\(${Math.round(file.replaced * 100)}% of its lines replaced\\)$`).test(flag)), change.flags.join('\n')).to.equal(true);
    expect(change.flags.some((flag) => flag.startsWith('most of the implementation'))).to.equal(false);
  });

  it('flags the original removed and new files added, and most of the implementation replaced', () => {
    const r = repoFor();
    rmSync(r.app, { recursive: true });
    cpSync(ALT_ROWLOCK, r.app, { recursive: true });
    unlinkSync(join(r.app, 'summary.ts'));
    writeFileSync(join(r.app, 'top-customers.ts'), readFileSync(join(ALT_ROWLOCK, 'summary.ts'), 'utf8'));
    const change = measure(r);
    expect(change.files.find((f) => f.file === 'summary.ts')).to.deep.include({ status: 'removed', replaced: 1 });
    expect(change.files.find((f) => f.file === 'top-customers.ts')).to.deep.include({ status: 'added', removed: 0 });
    expect(change.flags[0]).to.match(/^most of the implementation was replaced \(\d+% of its lines\)$/);
    expect(change.flags).to.include('summary.ts was removed and top-customers.ts added: the original replaced rather than changed');
    expect(area(change, 'other').candidate.added).to.be.greaterThan(0);
    expect(renderChange(change, 'reviewer')).to.match(/> _For comparison, the reference's own change replaced \d+% of the original code, .*\d+% of summary\.ts\._/);
  });

  it('lists edits outside variants/ (tests and the write-up apart), and leaves out reports, the lockfile and "chosen"', () => {
    const r = repoFor();
    writeFileSync(join(r.repo, 'harness', 'run.ts'), readFileSync(join(r.repo, 'harness', 'run.ts'), 'utf8') + '\n// tuned\n');
    writeFileSync(join(r.repo, 'NOTES.md'), 'scratch\n');
    writeFileSync(join(r.repo, 'test', 'cancel.test.ts'), "it('keeps the customer', () => {});\n");
    writeFileSync(join(r.repo, 'SOLUTION.md'), '# Solution\n\nDone.\n');
    writeFileSync(join(r.repo, 'reports', 'before.md'), '# report\n');
    writeFileSync(join(r.repo, 'package-lock.json'), '{}\n');
    const assignment = JSON.parse(readFileSync(join(r.repo, 'exercise.json'), 'utf8'));
    writeFileSync(join(r.repo, 'exercise.json'), JSON.stringify({ ...assignment, chosen: 'filters' }, null, 2));
    let change = measure(r);
    expect(change.outside).to.deep.equal(['NOTES.md (added)', 'harness/run.ts']);
    expect(change.tests).to.deep.equal(['test/cancel.test.ts (added)']);
    expect(change.writeUp).to.equal('edited');
    expect(change.files).to.deep.equal([]);

    writeFileSync(join(r.repo, 'exercise.json'), JSON.stringify({ ...assignment, parts: ['regression'] }, null, 2));
    unlinkSync(join(r.repo, 'SOLUTION.md'));
    unlinkSync(join(r.repo, 'scenarios', 'filters.ts'));
    change = measure(r);
    expect(change.outside).to.deep.equal(['NOTES.md (added)', 'exercise.json', 'harness/run.ts', 'scenarios/filters.ts (removed)']);
    expect(change.writeUp).to.equal('missing');
  });

  it('tells the lab\'s changes since the export from the candidate\'s by the digests the export shipped', () => {
    // As if the lab had since reworded harness/run.ts, a template test and the original's summary.ts:
    // the repository holds what was handed out then, and its digests say so.
    const r = repoFor();
    const shipped = JSON.parse(readFileSync(join(r.repo, SHIPPED_FILE), 'utf8'));
    const handOut = (path: string, text: string) => {
      writeFileSync(join(r.repo, path), text);
      shipped.files[path] = digest(text);
    };
    handOut('harness/run.ts', readFileSync(join(r.repo, 'harness', 'run.ts'), 'utf8') + '\n// as it was at export time\n');
    handOut('test/contract.test.ts', readFileSync(join(r.repo, 'test', 'contract.test.ts'), 'utf8').replace('HTTP contract', 'The HTTP contract'));
    handOut('variants/app/summary.ts', readFileSync(join(r.app, 'summary.ts'), 'utf8') + '\n// as it was at export time\n');
    writeFileSync(join(r.repo, SHIPPED_FILE), JSON.stringify(shipped, null, 2));
    let change = measure(r);
    expect(change.outside).to.deep.equal([]);
    expect(change.tests).to.deep.equal([]);
    expect(change.files).to.deep.equal([]);
    expect(change.notes).to.deep.equal([]);

    // The other way: what the candidate changes in those files is theirs all the same.
    writeFileSync(join(r.repo, 'harness', 'run.ts'), '// tuned\n');
    writeFileSync(join(r.repo, 'test', 'contract.test.ts'), "it('keeps the customer', () => {});\n");
    writeFileSync(join(r.app, 'summary.ts'), readFileSync(join(r.app, 'summary.ts'), 'utf8') + 'export const mine = 1;\n');
    change = measure(r);
    expect(change.outside).to.deep.equal(['harness/run.ts']);
    expect(change.tests).to.deep.equal(['test/contract.test.ts']);
    // Only digests of what was shipped are kept, so an edited file the lab has changed since is measured
    // against today's original: their line and the lab's two, which the note owns up to.
    expect(change.files.map((f) => [f.path, f.added])).to.deep.equal([['variants/app/summary.ts', 3]]);
    expect(change.notes.join(' ')).to.match(/variants\/app\/summary\.ts has changed in the lab since this exercise was exported/);
  });

  it('compares an export older than the digests with the lab as it is now', () => {
    const r = repoFor();
    rmSync(join(r.repo, SHIPPED_FILE));
    expect(measure(r).outside).to.deep.equal([]);
    writeFileSync(join(r.repo, 'harness', 'run.ts'), '// tuned\n');
    expect(measure(r).outside).to.deep.equal(['harness/run.ts']);
  });

  it('measures a change to the shared code beside the app, and names an area the assignment does not ask for', () => {
    const r = repoFor({ parts: ['regression'] });
    const rows = join(r.repo, 'variants', 'shared', 'rows.ts');
    writeFileSync(rows, readFileSync(rows, 'utf8') + '\nexport const extra = 1;\n');
    const summary = join(r.app, 'summary.ts');
    writeFileSync(summary, readFileSync(summary, 'utf8').replace('let totalCents = 0;', 'let totalCents = 0; // summed in code'));
    const change = measure(r);
    expect(change.files.map((f) => [f.file, f.path])).to.deep.equal([
      ['summary.ts', 'variants/app/summary.ts'],
      ['../shared/rows.ts', 'variants/shared/rows.ts'],
    ]);
    expect(area(change, 'summary-n-plus-one')).to.deep.include({ assigned: false, candidate: { files: 1, added: 1, removed: 1 } });
    expect(area(change, 'other').candidate).to.deep.equal({ files: 1, added: 2, removed: 0 });
    expect(change.areas.map((a) => a.area)).to.deep.equal(['cancel-regression', 'tenant-isolation', 'summary-n-plus-one', 'other']);
    expect(renderChange(change, 'reviewer')).to.include('`summary-n-plus-one` (not assigned)');
    // The reference's totals are its change in the areas assigned, not its whole answer.
    const assigned = change.areas.filter((a) => a.assigned && a.area !== 'other');
    expect(change.reference).to.deep.include({
      added: assigned.reduce((n, a) => n + a.reference.added, 0),
      removed: assigned.reduce((n, a) => n + a.reference.removed, 0),
      other: { added: area(change, 'other').reference.added, removed: area(change, 'other').reference.removed },
    });
    expect(change.reference.added + change.reference.removed).to.be.greaterThan(0);
    expect(change.reference.files).to.be.lessThan(9);
  });

  it('compares a bare variant folder with the original alone, and says what it could not compare', () => {
    const r = repoFor();
    const folder = mkdtempSync(join(tmpdir(), 'bare-variant-'));
    made.push(folder);
    cpSync(r.app, folder, { recursive: true });
    writeFileSync(join(folder, 'orders.ts'), readFileSync(join(folder, 'orders.ts'), 'utf8').replace(CANCEL_HOOK, ''));
    mkdirSync(join(folder, '.idea'));
    writeFileSync(join(folder, '.idea', 'workspace.xml'), '<x/>\n');
    const change = measureChange(submissionInput({ variantPath: folder, assignment: r.assignment }));
    expect(change).to.deep.include({ compared: 'variant folder', outside: [], tests: [], writeUp: 'not sent', removed: 3 });
    expect(change.files.map((f) => f.path)).to.deep.equal(['variants/app/orders.ts']);
    expect(change.notes.join(' ')).to.match(/only a variant folder was sent/);
  });

  it('says why when the change cannot be measured, instead of stopping the review', () => {
    const change = measureChange(submissionInput({ variantPath: __filename }));
    expect(change.files).to.deep.equal([]);
    expect(change.notes).to.have.length(1);
    expect(change.notes[0]).to.match(/^the change could not be measured: ENOTDIR/);
    expect(renderChange(change, 'candidate')).to.match(/^## Size of the change\n\n_the change could not be measured: ENOTDIR.*\._$/);
  });

  it('renders the reference beside the change for reviewers, and keeps the reference\'s figures out of the candidate\'s copy', () => {
    const r = repoFor();
    writeFileSync(join(r.app, 'orders.ts'), readFileSync(join(ALT_ROWLOCK, 'orders.ts'), 'utf8').replace(/(\.\.\/)+variants\//g, '../'));
    writeFileSync(join(r.repo, 'harness', 'run.ts'), '// mine\n');
    const change = measure(r);
    const reviewer = renderChange(change, 'reviewer');
    const candidate = renderChange(change, 'candidate');
    for (const text of [reviewer, candidate]) {
      expect(text).to.match(/^## Size of the change/);
      expect(text).to.match(/> \*\*Rewrite:\*\* orders\.ts was rewritten \(\d+% of its lines replaced\)\./);
      expect(text).to.include('`harness/run.ts`');
    }
    expect(reviewer).to.include('| Area | Changed | Reference |');
    expect(reviewer).to.include('Reference replaced');
    expect(reviewer).to.match(/> _For comparison, the reference's own change replaced \d+% of orders\.ts\._/);
    expect(candidate).not.to.match(/reference/i);
    expect(candidate).to.include('| Area | Changed |');
  });
});
