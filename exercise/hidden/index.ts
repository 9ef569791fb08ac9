// The hidden scenarios, in the order a review runs them (after the public ones). Never exported.
import analyticsPriceChange from './analytics-price-change';
import cancelKeepsHistory from './cancel-keeps-history';
import type { HiddenScenario } from './define';
import filtersOddInput from './filters-odd-input';
import oversellTwoProcesses from './oversell-two-processes';
import summaryAfterWrites from './summary-after-writes';
import summaryMeaning from './summary-meaning';

export type { HiddenScenario } from './define';

export const HIDDEN_SCENARIOS: HiddenScenario[] = [
  cancelKeepsHistory,
  filtersOddInput,
  oversellTwoProcesses,
  analyticsPriceChange,
  summaryMeaning,
  summaryAfterWrites,
];

/** The ids a candidate never sees, by result or by name. */
export const HIDDEN_IDS: ReadonlySet<string> = new Set(HIDDEN_SCENARIOS.map((s) => s.id));
