// A 5xx is never a right answer: whatever a scenario concludes, the code under test crashed on a
// request a client could send. The runner records every one (quiet requests too) and names them.
import type { Outcome } from './scenario';

export interface ServerError {
  method: string;
  path: string;
  status: number;
  /** The error message of the body, when it has one. */
  message?: string;
}

export function describeServerErrors(errors: readonly ServerError[]): string {
  const first = errors[0]!;
  const statuses = [...new Set(errors.map((e) => e.status))].join('/');
  return `the service answered HTTP ${statuses} to ${errors.length} request(s) (first: ${first.method} ${first.path} → ${first.status}${first.message ? ` "${first.message}"` : ''})`;
}

/**
 * A scenario that saw a 5xx FAILs whatever it concluded (an INCONCLUSIVE too: the crash is visible
 * on any engine); a FAIL keeps its own reason and names them.
 */
export function withServerErrors(outcome: Outcome, errors: readonly ServerError[]): Outcome {
  if (errors.length === 0) return outcome;
  const note = describeServerErrors(errors);
  if (outcome.verdict !== 'FAIL') return { verdict: 'FAIL', reason: `${note}; otherwise it would have been ${outcome.verdict}: ${outcome.reason}` };
  return { ...outcome, reason: `${outcome.reason}; ${note}` };
}
