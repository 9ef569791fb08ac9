// Code similarity with Dolos on real submissions: a copy with its identifiers renamed is flagged
// with the code it shares, two solutions written independently are not, a copy of the reference
// is called one, and the original code every candidate starts from never counts.
import { expect } from 'chai';
import { resolve } from 'node:path';
import { compareSubmissions, originalCode, referenceCode, REFERENCE_NAME, SIMILARITY_THRESHOLD, type CodeSubmission, type PairSimilarity } from '../../exercise/similarity';
import { readSources } from '../../exercise/submission/sources';

const FIXTURES = resolve(__dirname, 'fixtures');

/** The same code with its own names changed, as a candidate hiding a copy would. */
function renamed(sources: Record<string, string>): Record<string, string> {
  const names: [RegExp, string][] = [
    [/\border\b/g, 'purchase'],
    [/\borders\b/g, 'purchases'],
    [/\btenant\b/g, 'shopId'],
    [/\bknex\b/g, 'db'],
    [/\btrx\b/g, 'tx'],
    [/\bcustomer\b/g, 'client'],
  ];
  // Renaming the SQL's table names would change the strings only; the code's names are what a copier renames.
  return Object.fromEntries(Object.entries(sources).map(([path, text]) => [path, names.reduce((t, [from, to]) => t.replace(from, to), text)]));
}

const pairOf = (pairs: PairSimilarity[], a: string, b: string) => pairs.find((p) => (p.left === a && p.right === b) || (p.left === b && p.right === a))!;

describe('exercise similarity (Dolos)', function () {
  this.timeout(60_000);
  const original = originalCode();
  const reference = referenceCode();
  const rowlock = readSources(resolve(FIXTURES, 'alt-rowlock'));
  const serializable = readSources(resolve(FIXTURES, 'alt-serializable'));

  it('takes the original code as candidates get it, hint tags stripped', () => {
    expect(Object.keys(original)).to.include.members(['index.ts', 'orders.ts', 'order-flows.ts']);
    expect(Object.values(original).join('\n')).not.to.contain('exposed-by');
  });

  it('flags a copy with renamed identifiers, with the matching fragments on both sides, and not two independent solutions', async () => {
    const report = await compareSubmissions(
      [
        { name: 'zoe', sources: renamed(rowlock) },
        { name: 'amir', sources: rowlock },
        { name: 'kim', sources: serializable },
      ],
      reference,
      original,
    );
    // Candidates in name order, the reference last.
    expect(report.pairs.map((p) => `${p.left}~${p.right}`)).to.deep.equal(['amir~kim', 'amir~zoe', `amir~${REFERENCE_NAME}`, 'kim~zoe', `kim~${REFERENCE_NAME}`, `zoe~${REFERENCE_NAME}`]);
    const copy = pairOf(report.pairs, 'amir', 'zoe');
    expect(copy.similarity).to.be.at.least(SIMILARITY_THRESHOLD);
    expect(copy.flagged).to.equal(true);
    expect(copy.fragments.length).to.be.within(1, 5);
    for (const fragment of copy.fragments) {
      // file:lines on both sides, each side's code as it is in that file.
      const [, file, from] = /^([\w.-]+):(\d+)/.exec(fragment.left.where)!;
      expect(rowlock[file!]!.split('\n')[Number(from) - 1]!.trim()).to.equal(fragment.left.code.split('\n')[0]!.trim());
      const [, rfile, rfrom] = /^([\w.-]+):(\d+)/.exec(fragment.right.where)!;
      expect(renamed(rowlock)[rfile!]!.split('\n')[Number(rfrom) - 1]!.trim()).to.equal(fragment.right.code.split('\n')[0]!.trim());
    }
    expect(copy.fragments.map((f) => f.right.code).join('\n')).to.match(/purchase|shopId|\bdb\b|\btx\b/);
    // Two complete solutions written independently share the obvious, not the code.
    const independent = pairOf(report.pairs, 'amir', 'kim');
    expect(independent.similarity).to.be.below(SIMILARITY_THRESHOLD);
    expect(independent.flagged).to.equal(false);
    expect(independent.fragments).to.deep.equal([]);
    expect(pairOf(report.pairs, 'kim', 'zoe').flagged).to.equal(false);
    // Neither is the reference answer.
    expect(report.pairs.filter((p) => p.right === REFERENCE_NAME).map((p) => p.flagged)).to.deep.equal([false, false, false]);
  });

  it('flags a copy of the reference answer as matching it, and a candidate who wrote their own as not', async () => {
    const report = await compareSubmissions([{ name: 'copycat', sources: renamed(reference) }, { name: 'amir', sources: rowlock }], reference, original);
    const copy = pairOf(report.pairs, 'copycat', REFERENCE_NAME);
    expect(copy).to.include({ left: 'copycat', right: REFERENCE_NAME, flagged: true });
    expect(copy.similarity).to.be.above(0.9);
    expect(copy.fragments).not.to.be.empty;
    expect(pairOf(report.pairs, 'amir', REFERENCE_NAME).flagged).to.equal(false);
  });

  it('does not count the original code: two untouched exports share nothing of their own, though their text is the same', async () => {
    const untouched: CodeSubmission[] = [
      { name: 'a', sources: original },
      { name: 'b', sources: { ...original } },
    ];
    const report = await compareSubmissions(untouched, reference, original);
    const pair = pairOf(report.pairs, 'a', 'b');
    expect(pair).to.deep.include({ similarity: 0, own: { left: 0, right: 0 }, flagged: false, fragments: [] });
    // Without the original as Dolos' template, the same two would be one copy of the other.
    const withoutTemplate = await compareSubmissions(untouched, reference, {});
    expect(pairOf(withoutTemplate.pairs, 'a', 'b')).to.include({ similarity: 1, flagged: true });
  });

  it('does not flag two small fixes written the one obvious way, however alike', async () => {
    // The same two-line change to the original, made by two candidates: too little code to tell.
    const fix = (sources: Record<string, string>) => ({ ...sources, 'orders.ts': sources['orders.ts']!.replace(/\n}\n?$/, '\n  // tidy\n}\n') + 'export const LIMIT = Math.max(1, Number(process.env.X ?? 1));\n' });
    const report = await compareSubmissions([{ name: 'a', sources: fix(original) }, { name: 'b', sources: fix(original) }], reference, original);
    const pair = pairOf(report.pairs, 'a', 'b');
    expect(pair.similarity).to.be.at.least(SIMILARITY_THRESHOLD);
    expect(Math.min(pair.shared.left, pair.shared.right)).to.be.above(0);
    expect(pair.flagged).to.equal(false);
  });

  it('gives the same result whatever order the submissions come in', async () => {
    const subs: CodeSubmission[] = [
      { name: 'zoe', sources: renamed(rowlock) },
      { name: 'amir', sources: rowlock },
    ];
    const one = await compareSubmissions(subs, reference, original);
    const other = await compareSubmissions([...subs].reverse(), reference, original);
    expect(JSON.stringify(other)).to.equal(JSON.stringify(one));
  });
});
