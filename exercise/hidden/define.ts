// A hidden scenario checks what a superficial fix of a public one misses. Reviewers run it; the
// exercise export never ships this folder.
import { defineScenario, type Scenario } from '../../harness/scenario';

export interface HiddenScenario extends Scenario {
  hidden: true;
  /** The public scenario whose incident this one looks at more closely: its rubric area. */
  deepens: string;
}

export function defineHiddenScenario(scenario: Omit<HiddenScenario, 'hidden'>): HiddenScenario {
  return { ...defineScenario({ ...scenario, hidden: true }), deepens: scenario.deepens, hidden: true };
}
