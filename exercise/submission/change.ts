// The size of the candidate's change, per area, beside the reference's own change.
// PLACEHOLDER on branch i12-base, to be replaced by the real measurement before it reaches main.
import type { RubricAudience } from '../rubric';
import type { SubmissionInput } from './index';

export interface AreaChange {
  /** Public scenario id, or 'other' for lines no area claims. */
  area: string;
  candidate: { files: number; added: number; removed: number };
  reference: { files: number; added: number; removed: number };
}

export interface FileChange {
  /** Relative to the variant folder. */
  file: string;
  status: 'added' | 'removed' | 'modified';
  added: number;
  removed: number;
  /** Most of the original file replaced. */
  rewrite: boolean;
}

export interface ChangeSize {
  files: FileChange[];
  added: number;
  removed: number;
  areas: AreaChange[];
  /** Files changed outside variants/ (which the review does not run), relative to the repository. */
  outside: string[];
  /** Plain-words flags, e.g. "orders.ts was rewritten (92% of its lines replaced)". */
  flags: string[];
}

export function measureChange(_input: SubmissionInput): ChangeSize {
  return { files: [], added: 0, removed: 0, areas: [], outside: [], flags: [] };
}

export function renderChange(_change: ChangeSize, _audience: RubricAudience): string {
  return '';
}
