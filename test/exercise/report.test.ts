// What a review's two reports show of the harness report: reviewers see every scenario, hidden ones
// marked; a candidate sees neither a hidden scenario nor how many there are, nor the reference.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../harness/scenario';
import { renameVariants, renderCandidateReport, renderReviewerReport, reviewNames } from '../../exercise/report';

/** The fixture's run plays a review in which soft-delete is the hidden check. */
const FIXTURE_HIDDEN: ReadonlySet<string> = new Set(['soft-delete']);

const fixture = (): RunResult => JSON.parse(readFileSync(join(__dirname, '..', 'harness', 'fixtures', 'run.json'), 'utf8')) as RunResult;

describe('review reports (exercise/report.ts)', () => {
  it('keeps hidden scenarios from candidates and shows them to reviewers, marked', () => {
    const run = fixture();
    const reviewer = renderReviewerReport(run, FIXTURE_HIDDEN);
    const candidate = renderCandidateReport(run, FIXTURE_HIDDEN);
    expect(reviewer).to.include('## soft-delete');
    expect(reviewer).to.include('Deleted products still show up');
    expect(reviewer).to.include('_Hidden: shown to reviewers only._');
    expect(reviewer).not.to.include('Some checks the reviewers run are not shown here.');
    expect(candidate).not.to.include('soft-delete');
    expect(candidate).not.to.include('Deleted products still show up');
    expect(candidate).not.to.include('Hidden');
    expect(candidate).to.include('Some checks the reviewers run are not shown here.');
    expect(candidate).to.include('## summary-n-plus-one');
  });

  it("counts an interrupted run's expected results for reviewers only: the total counts hidden scenarios", () => {
    const run = { ...fixture(), complete: false };
    expect(renderReviewerReport(run, FIXTURE_HIDDEN)).to.include(`only the ${run.results.length} of 6 results that finished`);
    const shown = run.results.filter((r) => !FIXTURE_HIDDEN.has(r.scenario)).length;
    expect(renderCandidateReport(run, FIXTURE_HIDDEN)).to.include(`only the ${shown} results that finished`);
  });

  it('never prints undefined or NaN for either reader, even with a scenario not run yet', () => {
    const run = fixture();
    run.scenarios.push('not-yet-run');
    for (const markdown of [renderReviewerReport(run), renderCandidateReport(run)]) expect(markdown).not.to.match(/undefined|NaN|Infinity/);
    expect(renderReviewerReport(run)).to.include('## not-yet-run\n\n_Not run._');
    expect(renderCandidateReport(run)).not.to.include('not-yet-run');
  });

  it("names a review's variants from their roles: the lab's labels and the candidate's name for reviewers; original and theirs, no reference, for the candidate", () => {
    const reviewer = reviewNames('reviewer', { variant: '/tmp/stage/variants/app', name: 'jane' });
    expect([...reviewer]).to.deep.equal([
      ['broken', 'broken'],
      ['/tmp/stage/variants/app', 'jane'],
      ['fixed', 'fixed'],
    ]);
    expect([...reviewNames('candidate', { variant: 'jane', name: 'jane' })]).to.deep.equal([
      ['broken', 'original'],
      ['jane', 'jane'],
    ]);
    const run = fixture();
    run.header.variants = ['broken', 'other', 'fixed'];
    const projected = renameVariants(run, new Map([['broken', 'original'], ['other', 'theirs']]));
    expect(projected.header.variants).to.deep.equal(['original', 'theirs']);
    expect(new Set(projected.results.map((r) => r.variant))).to.deep.equal(new Set(['original']));
  });
});
