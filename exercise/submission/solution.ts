// SOLUTION.md checked: the sections the exported README asks for, and the figures it quotes
// against what the review measured. No grading of prose.
// PLACEHOLDER on branch i12-base, to be replaced by the real check before it reaches main.
import type { RubricAudience } from '../rubric';
import type { SubmissionInput } from './index';

export interface SectionCheck {
  /** What the README asks for, e.g. "Root cause (cancel-regression)". */
  section: string;
  present: boolean;
}

export interface FigureCheck {
  /** The line of SOLUTION.md quoting it. */
  line: number;
  quote: string;
  /** What it is compared with, e.g. "queries for GET /api/orders/summary?limit=N at 30 customers". */
  measured?: string;
  status: 'consistent' | 'off' | 'unverifiable';
  /** For 'off': by how much, in words ("quotes 3 queries, the review measured 5"). */
  detail?: string;
}

export interface SolutionCheck {
  /** false when there is no SOLUTION.md (or it is the unchanged template). */
  found: boolean;
  sections: SectionCheck[];
  figures: FigureCheck[];
}

export function checkSolution(_input: SubmissionInput): SolutionCheck {
  return { found: false, sections: [], figures: [] };
}

export function renderSolutionCheck(_check: SolutionCheck, _audience: RubricAudience): string {
  return '';
}
