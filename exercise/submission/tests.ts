// The candidate's own tests, graded: run against the original code and against theirs.
// PLACEHOLDER on branch i12-base, to be replaced by the real grading before it reaches main.
import type { RubricAudience } from '../rubric';
import type { SubmissionInput } from './index';

export interface GradedTest {
  /** The test file, relative to the repository. */
  file: string;
  /** Mocha's full title. */
  title: string;
  /** The incident (public scenario id) it is about, when it can be told. */
  area?: string;
  original: 'passed' | 'failed' | 'pending';
  candidate: 'passed' | 'failed' | 'pending';
  /** failed on the original and passes on theirs | passes on both | fails on theirs | other. */
  kind: 'guards' | 'guards nothing' | 'fails on theirs' | 'skipped';
}

export interface TestGrading {
  /** 'graded', or why not: no tests added or changed, could not run (with reason). */
  status: 'graded' | 'no tests' | 'could not run';
  reason?: string;
  /** Test files added or changed relative to the export. */
  files: string[];
  tests: GradedTest[];
  guarding: number;
  guardsNothing: number;
  failingOnTheirs: number;
  /** Per assigned incident: whether some test fails before the fix and passes after it. */
  incidents: { area: string; guarded: boolean }[];
}

export async function gradeCandidateTests(_input: SubmissionInput): Promise<TestGrading> {
  return { status: 'could not run', reason: 'not implemented yet', files: [], tests: [], guarding: 0, guardsNothing: 0, failingOnTheirs: 0, incidents: [] };
}

export function renderTestGrading(_grading: TestGrading, _audience: RubricAudience): string {
  return '';
}
