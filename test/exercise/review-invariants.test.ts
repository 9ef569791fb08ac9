// `npm run review` on the three submissions it used to grade "fixed" or merely "partially fixed"
// for the wrong reason: a summary cached in memory, a soft delete two rewritten reads forgot, and
// an email filter pasted into the SQL. On pg-mem, the review's default backend.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '../../harness/settings';
import { reviewCandidates, type ReviewOutcome } from '../../exercise/review';
import type { Comparison, Review } from '../../exercise/rubric';

const FIXTURES = resolve(__dirname, 'fixtures');
const CANDIDATES = ['cached-summary', 'soft-delete-forgetful', 'sql-injection'];

describe('exercise review: the invariants a superficial fix breaks (pg-mem)', function () {
  this.timeout(900_000);
  let out: string;
  let outcome: ReviewOutcome;
  const review = (name: string): Review => outcome.reviews.find((r) => r.candidate.name === name)!.review;
  const comparison = (name: string, scenario: string): Comparison => review(name).comparisons.find((c) => c.scenario === scenario)!;
  const area = (name: string, id: string) => review(name).areas.find((a) => a.area === id)!;
  // The shared run names a candidate by its folder.
  const result = (name: string, scenario: string) => outcome.run.results.find((r) => r.scenario === scenario && r.variant === join(FIXTURES, name))!;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'review-invariants-'));
    outcome = await reviewCandidates({
      backend: 'pg-mem',
      databaseUrl: DEFAULT_DATABASE_URL,
      scale: 'small',
      duration: 0.2,
      connections: 5,
      trials: 1,
      seed: 1,
      candidates: CANDIDATES.map((name) => ({ path: join(FIXTURES, name) })),
      scenarioIds: ['summary-n-plus-one', 'summary-after-writes', 'soft-delete', 'filters', 'filters-odd-input'],
      outDir: out,
    });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('the baseline behaves: the original code fails every public scenario, the reference passes it', () => {
    expect(outcome.baselineProblems).to.deep.equal([]);
  });

  it('a summary cached for a minute: fast in public, stale after a write, so only partially fixed', () => {
    expect(comparison('cached-summary', 'summary-n-plus-one').transition).to.equal('FAIL_TO_PASS');
    expect(comparison('cached-summary', 'summary-after-writes').sides.candidate!.verdict).to.equal('FAIL');
    const summary = area('cached-summary', 'summary-n-plus-one');
    expect(summary.status).to.equal('partially fixed');
    expect(summary.notes[0]).to.contain('but wrong: hidden check `summary-after-writes` FAIL: the summary does not follow the writes');
  });

  it('a soft delete two rewritten reads forgot: soft-delete still fails, naming the reads, and the summary is only partially fixed', () => {
    const softDelete = comparison('soft-delete-forgetful', 'soft-delete');
    expect(softDelete.transition).to.equal('STILL_FAILING');
    expect(softDelete.sides.candidate!.reason).to.contain('is not hidden everywhere').and.contain('the summary still counts it');
    expect(area('soft-delete-forgetful', 'summary-n-plus-one').status).to.equal('partially fixed');
    expect(area('soft-delete-forgetful', 'summary-n-plus-one').notes[0]).to.contain('soft-deletes');
  });

  it('an email filter pasted into the SQL: the filters pass in public, the hidden check names the injection and the leak, and the area is graded unsafe', () => {
    expect(comparison('sql-injection', 'filters').transition).to.equal('FAIL_TO_PASS');
    const odd = comparison('sql-injection', 'filters-odd-input');
    expect(odd.sides.candidate!.verdict).to.equal('FAIL');
    expect(odd.sides.candidate!.reason).to.contain('open to SQL injection').and.contain('of another shop');
    expect(result('sql-injection', 'filters-odd-input').hazard).to.equal('injection');
    expect(area('sql-injection', 'filters').status).to.equal('unsafe');
    expect(area('sql-injection', 'filters').notes[0]).to.match(/^client input reaches the SQL as code \(injection\): hidden check `filters-odd-input` FAIL: .*SQL injection/);
  });
});
