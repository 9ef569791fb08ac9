// The submission's findings in the hiring decision's plain-text block: one line each for the tests,
// the change and the write-up, for reviewers only.
import { expect } from 'chai';
import { renderReviewReports } from '../../exercise/review';
import { pasteableFindings, type SubmissionFindings } from '../../exercise/submission/index';
import { handMadeReview } from './submission-support';

const REFERENCE_SIZE = { files: 7, added: 207, removed: 163, replaced: 0.3, other: { added: 67, removed: 33 } };

const FINDINGS: SubmissionFindings = {
  tests: {
    status: 'graded',
    files: ['test/cancel.test.ts'],
    tests: [],
    fileErrors: [],
    guarding: 2,
    guardsNothing: 1,
    failingOnTheirs: 0,
    incidents: [
      { area: 'cancel-regression', guarded: true },
      { area: 'tenant-isolation', guarded: false },
    ],
  },
  change: {
    compared: 'repository',
    files: [{ file: 'orders.ts', path: 'variants/app/orders.ts', status: 'modified', added: 180, removed: 170, replaced: 0.94, rewrite: true }],
    added: 180,
    removed: 170,
    areas: [],
    reference: REFERENCE_SIZE,
    outside: ['harness/run.ts'],
    tests: ['test/cancel.test.ts (added)'],
    writeUp: 'edited',
    flags: [],
    replaced: 0.5,
    notes: [],
  },
  solution: {
    found: true,
    sections: [
      { section: 'Root cause (`cancel-regression`)', present: true },
      { section: 'Root cause (`tenant-isolation`)', present: false },
    ],
    figures: [
      { line: 3, quote: '3 queries', values: [3], kind: 'queries', role: 'after', status: 'off', detail: 'quotes 3 queries (nearest measured 1, off by 2)' },
      { line: 4, quote: '93 queries', values: [93], kind: 'queries', role: 'before', status: 'consistent' },
    ],
  },
};

describe('submission findings for the hiring decision', () => {
  it('says in one line each what the tests guard, how large the change is and what the write-up holds', () => {
    expect(pasteableFindings(FINDINGS)).to.deep.equal([
      'Their tests: 2 guard an incident, 1 guard nothing, 0 fail on their code; incidents guarded: cancel-regression',
      'Change: +180 -170 lines in 1 file(s) of variants/; rewritten: orders.ts; 1 file(s) changed outside variants/',
      'SOLUTION.md: 1 of 2 sections written; 1 of 2 figures checked are off',
    ]);
    const none: SubmissionFindings = {
      ...FINDINGS,
      tests: { ...FINDINGS.tests, status: 'no tests', reason: 'only a variant folder was sent', guarding: 0, guardsNothing: 0, incidents: [] },
      change: { ...FINDINGS.change, files: [], added: 0, removed: 0, outside: [] },
      solution: { found: false, reason: 'no SOLUTION.md', sections: [], figures: [] },
    };
    expect(pasteableFindings(none)).to.deep.equal(['Their tests: no tests (only a variant folder was sent)', 'Change: +0 -0 lines in 0 file(s) of variants/', 'SOLUTION.md: no SOLUTION.md']);
  });

  it("puts them in the reviewers' block for the hiring decision, never in the candidate's copy", () => {
    const { run, review } = handMadeReview({ 'cancel-regression': { broken: {}, candidate: {} } });
    const { reviewer, candidate } = renderReviewReports(run, review, [], FINDINGS);
    const block = reviewer.slice(reviewer.indexOf('### For the hiring decision'));
    expect(block.slice(0, block.indexOf('```\n\n'))).to.contain('Their tests: 2 guard an incident').and.contain('SOLUTION.md: 1 of 2 sections written');
    expect(candidate).not.to.contain('For the hiring decision');
    expect(candidate).not.to.contain('Their tests: 2 guard an incident');
  });
});
