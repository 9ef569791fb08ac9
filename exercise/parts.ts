// The parts of the exercise a hiring team can hand out, and which public scenarios each one is
// judged by. Export uses it to choose what to ship; review uses it to group the rubric.

export const PART_IDS = ['regression', 'feature', 'performance', 'concurrency', 'analytics', 'design'] as const;
export type PartId = (typeof PART_IDS)[number];

/** Part B: the candidate implements one of these (the service has each one half-done, badly). */
export const FEATURE_OPTIONS = ['customer-orders', 'filters', 'soft-delete'] as const;
export type FeatureOption = (typeof FEATURE_OPTIONS)[number];

export interface Part {
  id: PartId;
  /** As the candidate's README heads it, after "Part A:" (lettered among the parts handed out). */
  name: string;
  /** Suggested minutes, summed into the timebox (bonus parts excluded). */
  minutes: number;
  bonus?: boolean;
  /** Public scenarios that judge this part; for `feature`, the options offered. */
  scenarios: readonly string[];
}

// Minutes as weights of a 3-hour exercise, by what each part asks: two incidents with a root cause
// and a test each (35); one feature (30); two optimisations, one of which must keep the summary's
// every rule, each measured before and after (45); a warm-up and a race with several causes that
// must hold across processes (45); written design and five short answers (25). The bonus comes on
// top. A --timebox scales them all.
export const PARTS: readonly Part[] = [
  { id: 'regression', name: 'Fix the regressions', minutes: 35, scenarios: ['cancel-regression', 'tenant-isolation'] },
  { id: 'feature', name: 'Finish one feature safely', minutes: 30, scenarios: FEATURE_OPTIONS },
  { id: 'performance', name: 'Make it fast, with evidence', minutes: 45, scenarios: ['summary-n-plus-one', 'seed-bulk'] },
  { id: 'concurrency', name: 'Ordering under concurrency', minutes: 45, scenarios: ['notification', 'concurrent-oversell'] },
  { id: 'analytics', name: 'Analytics', minutes: 20, bonus: true, scenarios: ['analytics-load'] },
  { id: 'design', name: 'System design and discussion', minutes: 25, scenarios: [] },
];

/** "Part A: Fix the regressions" and so on, lettered in order among the parts handed out; "Bonus: ..." for bonus parts. */
export function partTitles(parts: readonly PartId[] = PART_IDS): Record<PartId, string> {
  let letter = 0;
  return Object.fromEntries(
    PARTS.map((part) => {
      const included = parts.includes(part.id);
      const title = part.bonus ? `Bonus: ${part.name}` : `Part ${String.fromCharCode(65 + (included ? letter++ : letter))}: ${part.name}`;
      return [part.id, title];
    }),
  ) as Record<PartId, string>;
}

/** What a scenario's report measures, before and after a change: the only figures SOLUTION.md asks for. */
export const EVIDENCE_KINDS = ['scaling', 'load', 'race'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface ScenarioEvidence {
  /** The scaling table's request, when it has one. */
  request?: string;
  kinds: EvidenceKind[];
}

/**
 * By public scenario. test/scenarios/verdicts.test.ts holds each entry to what a run records, so a
 * SOLUTION.md never asks for latency of a scenario without a load test, or sizes of one without a
 * scaling table.
 */
export const SCENARIO_EVIDENCE: Record<string, ScenarioEvidence> = {
  'cancel-regression': { kinds: [] },
  'tenant-isolation': { kinds: [] },
  'customer-orders': { request: 'GET /api/customers/:id/orders', kinds: ['scaling'] },
  filters: { request: 'GET /api/orders?pageSize=N', kinds: ['scaling'] },
  'soft-delete': { kinds: [] },
  'summary-n-plus-one': { request: 'GET /api/orders/summary?limit=N', kinds: ['scaling', 'load'] },
  'seed-bulk': { request: 'POST /api/dev/seed', kinds: ['scaling'] },
  notification: { kinds: [] },
  'concurrent-oversell': { kinds: ['race'] },
  'analytics-load': { request: 'GET /api/analytics', kinds: ['scaling', 'load'] },
};

export function partOf(scenarioId: string): Part | undefined {
  return PARTS.find((part) => part.scenarios.includes(scenarioId));
}

/** What an export chose; written to the candidate's repository as exercise.json so review knows it. */
export interface Assignment {
  parts: PartId[];
  /** Part B options offered (when `feature` is among the parts). */
  features: FeatureOption[];
  timebox: string;
  /**
   * The Part B option the candidate implements, as they declare it in exercise.json: the export
   * writes null when it offers several (the only one when it offers one), and leaves it out without
   * Part B. The candidate's tests skip the other options; the review grades them "not chosen".
   */
  chosen?: FeatureOption | null;
}

export const FULL_ASSIGNMENT: Assignment = { parts: [...PART_IDS], features: [...FEATURE_OPTIONS], timebox: defaultTimebox([...PART_IDS]) };

/** The public scenarios an assignment asks the candidate to make pass. */
export function assignedScenarios(assignment: Pick<Assignment, 'parts' | 'features'>): string[] {
  return PARTS.filter((part) => assignment.parts.includes(part.id)).flatMap((part) =>
    part.id === 'feature' ? part.scenarios.filter((id) => (assignment.features as string[]).includes(id)) : [...part.scenarios],
  );
}

export function defaultTimebox(parts: PartId[]): string {
  const minutes = PARTS.filter((part) => parts.includes(part.id) && !part.bonus).reduce((sum, part) => sum + part.minutes, 0);
  if (minutes <= 90) return `${Math.max(30, Math.round(minutes / 15) * 15)} minutes`;
  const hours = Math.round((minutes / 60) * 2) / 2;
  return `${hours} hours`;
}

/** How a timebox may be written: "90 minutes", "2 hours", "2.5 hours", "1 hour 30 minutes", "1h30", "90m". */
export const TIMEBOX_EXAMPLES = ['90 minutes', '2 hours', '2.5 hours', '1 hour 30 minutes', '1h30'];

/** The minutes a timebox names, or undefined when it names none (or an absurd number). */
export function timeboxMinutes(text: string): number | undefined {
  const match = /^\s*(?:(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?))?\s*(?:(\d+)\s*(?:m|mins?|minutes?)?)?\s*$/i.exec(text);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  // "1h30": a bare number after hours is minutes; a bare number alone is minutes too.
  const minutes = Math.round(Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0));
  return minutes >= 15 && minutes <= 24 * 60 ? minutes : undefined;
}

/**
 * Suggested minutes per part, the timebox split in proportion to each part's weight: the parts
 * handed out (bonus aside) add up to the timebox exactly; the bonus scales with them, on top.
 * Rounded to 5 minutes where the timebox allows, by largest remainder so the sum stays exact.
 */
export function partMinutes(parts: readonly PartId[], timebox: number): Record<PartId, number> {
  const counted = PARTS.filter((part) => parts.includes(part.id) && !part.bonus);
  const weight = counted.reduce((sum, part) => sum + part.minutes, 0);
  const step = timebox % 5 === 0 && timebox >= 5 * counted.length ? 5 : 1;
  const exact = counted.map((part) => ({ part, units: (part.minutes / weight) * (timebox / step) }));
  const units = exact.map((e) => Math.floor(e.units));
  let left = timebox / step - units.reduce((a, b) => a + b, 0);
  for (const i of exact.map((e, i) => i).sort((a, b) => exact[b]!.units - Math.floor(exact[b]!.units) - (exact[a]!.units - Math.floor(exact[a]!.units)) || a - b)) {
    if (left <= 0) break;
    units[i]! += 1;
    left -= 1;
  }
  const scale = weight > 0 ? timebox / weight : 1;
  return Object.fromEntries(
    PARTS.map((part) => {
      const i = counted.indexOf(part);
      if (i >= 0) return [part.id, units[i]! * step];
      return [part.id, Math.max(5, Math.round((part.minutes * scale) / 5) * 5)];
    }),
  ) as Record<PartId, number>;
}

/** Parses a comma-separated list against the allowed values; throws a sentence naming them. */
export function parseList<T extends string>(option: string, raw: string, allowed: readonly T[]): T[] {
  const values = raw.split(',').map((value) => value.trim()).filter(Boolean);
  if (values.length === 0) throw new Error(`--${option} needs at least one of: ${allowed.join(', ')}`);
  for (const value of values) {
    if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${option}: unknown "${value}"; choose from: ${allowed.join(', ')}`);
  }
  return [...new Set(values)] as T[];
}
