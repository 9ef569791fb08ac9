// What the review finds in a submission besides its code's behaviour, as the exercise says it is
// evaluated: the candidate's own tests (regression prevention), the size of the change (no rewrite
// of the whole app) and the write-up (SOLUTION.md). Each finding has a module of its own; the
// review runs them after the scenarios and keeps them beside the rubric, in the JSON report too,
// so a cohort report can be merged from JSON alone.
import { count } from '../../harness/report/format';
import type { RunResult } from '../../harness/scenario';
import type { Isolation } from '../../harness/sandbox';
import type { Assignment } from '../parts';
import type { Review, RubricAudience } from '../rubric';
import { measureChange, renderChange, type ChangeSize } from './change';
import { checkSolution, renderSolutionCheck, type SolutionCheck } from './solution';
import { gradeCandidateTests, renderTestGrading, type TestGrading } from './tests';

export interface SubmissionInput {
  /** The candidate's report name. */
  name: string;
  /** The repository the candidate returned; absent when only a variant folder was given. */
  repo?: string;
  /** Their variant folder as sent (variants/app in an exported repository). */
  variantPath: string;
  /** What they were asked to do (the full exercise when the repository does not say). */
  assignment: Assignment;
  /** The rubric of this candidate's run, and the run as their report shows it. */
  review: Review;
  run: RunResult;
  /** How candidate code is confined in this review (the user it runs as, what held). */
  isolation: Isolation;
  onProgress?: (message: string) => void;
}

export interface SubmissionFindings {
  tests: TestGrading;
  change: ChangeSize;
  solution: SolutionCheck;
}

export async function assessSubmission(input: SubmissionInput): Promise<SubmissionFindings> {
  const change = measureChange(input);
  const solution = checkSolution(input);
  const tests = await gradeCandidateTests(input);
  return { tests, change, solution };
}

/** The findings as sections of a report; the candidate's copy is about their own submission only. */
export function renderSubmission(findings: SubmissionFindings, audience: RubricAudience): string {
  return [renderTestGrading(findings.tests, audience), renderChange(findings.change, audience), renderSolutionCheck(findings.solution, audience)]
    .filter((section) => section !== '')
    .join('\n\n');
}

/** The findings in the plain-text block a reviewer pastes into the hiring decision, a line each. */
export function pasteableFindings(findings: SubmissionFindings): string[] {
  const { tests, change, solution } = findings;
  const guarded = tests.incidents.filter((i) => i.guarded).map((i) => i.area);
  const testLine =
    tests.status === 'graded'
      ? `Their tests: ${tests.guarding} guard an incident, ${tests.guardsNothing} guard nothing, ${tests.failingOnTheirs} fail on their code; incidents guarded: ${guarded.length ? guarded.join(', ') : 'none'}`
      : `Their tests: ${tests.status}${tests.reason ? ` (${tests.reason})` : ''}`;
  const rewritten = change.files.filter((f) => f.rewrite).map((f) => f.file);
  const changeLine =
    `Change: +${count(change.added)} -${count(change.removed)} lines in ${change.files.length} file(s) of variants/` +
    (rewritten.length ? `; rewritten: ${rewritten.join(', ')}` : '') +
    (change.outside.length ? `; ${change.outside.length} file(s) changed outside variants/` : '');
  const off = solution.figures.filter((f) => f.status === 'off').length;
  const solutionLine = solution.found
    ? `SOLUTION.md: ${solution.sections.filter((s) => s.present).length} of ${solution.sections.length} sections written; ${off} of ${solution.figures.length} figures checked are off`
    : `SOLUTION.md: ${solution.reason ?? 'missing'}`;
  return [testLine, changeLine, solutionLine];
}
