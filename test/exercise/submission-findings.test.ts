// The submission's findings in the hiring decision's plain-text block: one line each for the tests,
// the change and the write-up, for reviewers only.
import { expect } from 'chai';
import { renderReviewReports } from '../../exercise/review';
import { pasteableFindings, type SubmissionFindings } from '../../exercise/submission/index';
import { GRADED, handMadeReview } from './submission-support';

const FINDINGS = GRADED;

describe('submission findings for the hiring decision', () => {
  it('says in one line each what the tests guard, how large the change is and what the write-up holds', () => {
    expect(pasteableFindings(FINDINGS)).to.deep.equal([
      'Their tests: 3 guard an incident, 1 guard nothing, 0 fail on their code; incidents guarded: cancel-regression',
      'Change: +192 -174 lines in 2 file(s) of variants/; rewritten: orders.ts; 1 file(s) changed outside variants/',
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
    expect(block.slice(0, block.indexOf('```\n\n'))).to.contain('Their tests: 3 guard an incident').and.contain('SOLUTION.md: 1 of 2 sections written');
    expect(candidate).not.to.contain('For the hiring decision');
    expect(candidate).not.to.contain('Their tests: 3 guard an incident');
  });
});
