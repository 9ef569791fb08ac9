// The harness report as a review shows it to each of its two readers. The harness renders what a run
// has, for whoever ran it; what only a review has (hidden scenarios, the reference answer, a
// candidate's name for their own code) is decided here, under exercise/, which an export never copies.
import { renderMarkdown } from '../harness/report/markdown';
import { ROLES, variantWithRole, type Role } from '../harness/roles';
import type { RunResult } from '../harness/scenario';
import { HIDDEN_IDS } from './hidden/index';

export type Audience = 'reviewer' | 'candidate';

/** How a candidate's report names each role's variant; null: left out (the reference's evidence would be the answer key). */
const CANDIDATE_NAMES: Record<Exclude<Role, 'candidate'>, string | null> = { original: 'original', reference: null };

/**
 * The one mapping from a review's variants to the names its reports show, from the roles. For
 * reviewers, from the run's variants: the configured ones by their labels, the candidate's folder
 * by the candidate's name. For the candidate, from the reviewer's names: the original is
 * "original", their code keeps their name, and the reference is not there.
 */
export function reviewNames(audience: Audience, candidate: { variant: string; name: string }): Map<string, string> {
  const names = new Map<string, string>();
  for (const role of ROLES) {
    if (role === 'candidate') {
      names.set(audience === 'reviewer' ? candidate.variant : candidate.name, candidate.name);
      continue;
    }
    const configured = variantWithRole(role);
    if (!configured) continue;
    const shown = audience === 'reviewer' ? configured.label : CANDIDATE_NAMES[role];
    if (shown !== null) names.set(audience === 'reviewer' ? configured.id : configured.label, shown);
  }
  return names;
}

/** The run with only the variants `names` maps, renamed, in the run's order. */
export function renameVariants(run: RunResult, names: Map<string, string>): RunResult {
  return {
    ...run,
    header: { ...run.header, variants: run.header.variants.filter((v) => names.has(v)).map((v) => names.get(v)!) },
    results: run.results.filter((r) => names.has(r.variant)).map((r) => ({ ...r, variant: names.get(r.variant)! })),
  };
}

/** The reviewers' report: every scenario, hidden ones marked as such. */
export function renderReviewerReport(run: RunResult, hiddenIds: ReadonlySet<string> = HIDDEN_IDS): string {
  const hidden = [...new Set(run.results.filter((r) => hiddenIds.has(r.scenario)).map((r) => r.scenario))];
  return renderMarkdown(run, { scenarioNotes: Object.fromEntries(hidden.map((id) => [id, '_Hidden: shown to reviewers only._'])) });
}

/**
 * The candidate's report: no hidden scenario, by result or by name. The run's plan is left out
 * too, since it lists the hidden scenarios and its total counts them; the report then shows the
 * scenarios that have results, in the order they ran.
 */
export function renderCandidateReport(run: RunResult, hiddenIds: ReadonlySet<string> = HIDDEN_IDS): string {
  const shown: RunResult = { ...run, scenarios: [], results: run.results.filter((r) => !hiddenIds.has(r.scenario)) };
  return renderMarkdown(shown, { note: '_Some checks the reviewers run are not shown here._' });
}
