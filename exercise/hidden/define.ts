// A hidden scenario checks what a superficial fix of a public one misses. Reviewers run it; the
// exercise export never ships this folder.
import { defineScenario, type Scenario } from '../../harness/scenario';

/** To the harness, a check any correct change keeps (the original may give anything); to a review, hidden. */
export interface HiddenScenario extends Scenario {
  reproducesBug: false;
  /** The public scenario whose incident this one looks at more closely: its rubric area. */
  deepens: string;
}

export function defineHiddenScenario(scenario: Omit<HiddenScenario, 'reproducesBug'>): HiddenScenario {
  return { ...defineScenario({ ...scenario, reproducesBug: false }), deepens: scenario.deepens, reproducesBug: false };
}
