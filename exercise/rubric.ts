// Compares a candidate's results with the original code's and the reference answer's, scenario by
// scenario, and turns the comparison into a rubric a reviewer can paste into a hiring decision.
// Pure: results in, data and markdown out, so it is tested on hand-made results.
import type { BackendName } from '../harness/db/backends';
import { isExpectedVerdict, variantWithRole, type Role as VariantRole } from '../harness/roles';
import type { Hazard, LatencyStats, RunResult, ScenarioResult, Verdict } from '../harness/scenario';
import { count, ms, NONE, ratio } from '../harness/report/format';
import { assignedScenarios, FEATURE_OPTIONS, partOf, type Assignment } from './parts';

/** What happened to a scenario between the original code and the candidate's. */
export type Transition =
  /** Failed on the original, passes now: a bug fixed. */
  | 'FAIL_TO_PASS'
  /** Passed on the original, passes now: nothing broke. */
  | 'PASS_TO_PASS'
  /** Failed on the original and still fails (or errors, or times out). */
  | 'STILL_FAILING'
  /** Passed on the original, fails now: a regression. */
  | 'NEWLY_BROKEN'
  /** The backend cannot show the result for the candidate (INCONCLUSIVE). */
  | 'UNSETTLED'
  /** No result for the candidate (the run was interrupted). */
  | 'NOT_RUN';

export const TRANSITIONS: readonly Transition[] = ['FAIL_TO_PASS', 'PASS_TO_PASS', 'STILL_FAILING', 'NEWLY_BROKEN', 'UNSETTLED', 'NOT_RUN'];

/** The rubric's keys for the three sides of a comparison, as review reports store them in their JSON. */
export type Role = 'broken' | 'candidate' | 'fixed';
const ROLES: readonly Role[] = ['broken', 'candidate', 'fixed'];

/** The role each side plays (harness/roles.ts), which decides what it is expected to give. */
const VARIANT_ROLE: Record<Role, VariantRole> = { broken: 'original', candidate: 'candidate', fixed: 'reference' };

/** The sides' names in a review's run: the configured variants' labels and the candidate's name. */
export function reviewSideNames(candidate: string): Record<Role, string> {
  return { broken: variantWithRole('original')!.label, candidate, fixed: variantWithRole('reference')!.label };
}

export interface Side {
  verdict: Verdict;
  reason: string;
  hazard?: Hazard;
}

export interface QueryRow {
  /** The scaling table's title: the request measured. */
  title: string;
  sizes: string[];
  queries: Partial<Record<Role, number[]>>;
  growth: Partial<Record<Role, 'constant' | 'grows'>>;
}

export interface LatencyRow {
  label: string;
  size: string;
  stats: Partial<Record<Role, Pick<LatencyStats, 'p50' | 'p90' | 'p99' | 'rps' | 'errors' | 'non2xx'>>>;
}

export interface Comparison {
  scenario: string;
  title: string;
  hidden: boolean;
  /** The public scenario this one belongs with (itself, for a public scenario). */
  area: string;
  sides: Partial<Record<Role, Side>>;
  transition: Transition;
  /** Set when the original code or the reference answer did not behave as the lab promises here. */
  baselineWarning?: string;
  queries: QueryRow[];
  latency: LatencyRow[];
}

/** 'unsafe' ranks below 'not fixed': the code endangers data or other shops (see HAZARDS). */
export type AreaStatus = 'unsafe' | 'fixed' | 'partially fixed' | 'not fixed' | 'unsettled' | 'not chosen' | 'not assigned';

/** What each hazard means, in words a hiring manager reads without the code. */
export const HAZARD_WORDS: Record<Hazard, string> = {
  injection: 'client input reaches the SQL as code (injection)',
  'cross-shop access': 'one shop can read or change another shop\'s data',
  'destroyed data': 'it destroys data it must keep',
};

export interface AreaVerdict {
  /** The public scenario's id. */
  area: string;
  title: string;
  part?: string;
  status: AreaStatus;
  notes: string[];
}

export interface Review {
  candidate: string;
  backend: BackendName;
  date: string;
  complete: boolean;
  comparisons: Comparison[];
  areas: AreaVerdict[];
  /** Scenarios that passed on the original code and fail on the candidate's. */
  regressions: Comparison[];
  /** Set when the candidate's code never got to answer a request (every scenario ERROR, one cause). */
  couldNotRun?: string;
  counts: Record<Transition, number>;
}

export interface CompareOptions {
  /** Variant names as they appear in the run's results. */
  names: Record<Role, string>;
  /** Hidden scenario id -> the public scenario it deepens. */
  deepens?: Record<string, string>;
  /** What the candidate was asked to do, and the Part B option they declared; unassigned areas are reported as such. */
  assignment?: Pick<Assignment, 'parts' | 'features' | 'chosen'>;
}

const passed = (side?: Side) => side?.verdict === 'PASS';
const unsettled = (side?: Side) => side?.verdict === 'INCONCLUSIVE';
const failed = (side?: Side) => side !== undefined && !passed(side) && !unsettled(side);

export function transitionOf(broken: Side | undefined, candidate: Side | undefined): Transition {
  if (!candidate) return 'NOT_RUN';
  if (unsettled(candidate)) return 'UNSETTLED';
  const before = passed(broken);
  if (passed(candidate)) return before ? 'PASS_TO_PASS' : 'FAIL_TO_PASS';
  return before ? 'NEWLY_BROKEN' : 'STILL_FAILING';
}

/** The latest result of each scenario for a variant (a re-run replaces an earlier one). */
function latest(results: ScenarioResult[], variant: string): Map<string, ScenarioResult> {
  const map = new Map<string, ScenarioResult>();
  for (const result of results) if (result.variant === variant) map.set(result.scenario, result);
  return map;
}

function queryRows(results: Partial<Record<Role, ScenarioResult>>): QueryRow[] {
  const titles = [...new Set(ROLES.flatMap((role) => results[role]?.evidence.scaling.map((s) => s.title) ?? []))];
  return titles.map((title) => {
    const row: QueryRow = { title, sizes: [], queries: {}, growth: {} };
    for (const role of ROLES) {
      const scaling = results[role]?.evidence.scaling.find((s) => s.title === title);
      if (!scaling) continue;
      row.queries[role] = scaling.points.map((p) => p.queries);
      row.growth[role] = scaling.growth;
      if (row.sizes.length === 0) row.sizes = scaling.points.map((p) => p.label);
    }
    return row;
  });
}

function latencyRows(results: Partial<Record<Role, ScenarioResult>>): LatencyRow[] {
  const labels = [...new Set(ROLES.flatMap((role) => results[role]?.evidence.load.map((l) => l.label) ?? []))];
  return labels.map((label) => {
    const row: LatencyRow = { label, size: '', stats: {} };
    for (const role of ROLES) {
      const load = results[role]?.evidence.load.find((l) => l.label === label);
      if (!load) continue;
      const { p50, p90, p99, rps, errors, non2xx } = load.median;
      row.stats[role] = { p50, p90, p99, rps, errors, non2xx };
      row.size ||= load.size;
    }
    return row;
  });
}

function baselineWarning(hidden: boolean, sides: Partial<Record<Role, Side>>, backend: BackendName): string | undefined {
  const { broken, fixed } = sides;
  const unexpected = (role: Role, side: Side | undefined) => side !== undefined && !isExpectedVerdict(VARIANT_ROLE[role], side.verdict, backend, { reproducesBug: !hidden });
  if (unexpected('broken', broken)) return `the original code did not fail it (${broken!.verdict}: ${broken!.reason})`;
  if (unexpected('fixed', fixed)) return `the reference answer did not pass it (${fixed!.verdict}: ${fixed!.reason})`;
  return undefined;
}

/** Compares the three variants of one run. */
export function compareRun(run: RunResult, options: CompareOptions): Review {
  const byRole = Object.fromEntries(ROLES.map((role) => [role, latest(run.results, options.names[role])])) as Record<Role, Map<string, ScenarioResult>>;
  const ids = [...new Set([...run.scenarios, ...run.results.map((r) => r.scenario)])];
  const backend = run.header.backend;
  const deepens = options.deepens ?? {};

  const comparisons: Comparison[] = ids.map((id) => {
    const results: Partial<Record<Role, ScenarioResult>> = {};
    const sides: Partial<Record<Role, Side>> = {};
    for (const role of ROLES) {
      const result = byRole[role].get(id);
      if (!result) continue;
      results[role] = result;
      sides[role] = { verdict: result.verdict, reason: result.reason, ...(result.hazard ? { hazard: result.hazard } : {}) };
    }
    const any = results.candidate ?? results.broken ?? results.fixed;
    const hidden = id in deepens;
    return {
      scenario: id,
      title: any?.title ?? id,
      hidden,
      area: deepens[id] ?? id,
      sides,
      transition: transitionOf(sides.broken, sides.candidate),
      baselineWarning: baselineWarning(hidden, sides, backend),
      queries: queryRows(results),
      latency: latencyRows(results),
    };
  });

  const counts = Object.fromEntries(TRANSITIONS.map((t) => [t, comparisons.filter((c) => c.transition === t).length])) as Record<Transition, number>;
  const ran = comparisons.filter((c) => c.sides.candidate);
  const reasons = new Set(ran.map((c) => c.sides.candidate!.reason));
  const couldNotRun = ran.length > 0 && ran.every((c) => c.sides.candidate!.verdict === 'ERROR') && reasons.size === 1 ? [...reasons][0] : undefined;

  return {
    candidate: options.names.candidate,
    backend,
    date: run.header.date,
    complete: run.complete,
    comparisons,
    areas: areaVerdicts(comparisons, options.assignment, couldNotRun),
    regressions: comparisons.filter((c) => c.transition === 'NEWLY_BROKEN'),
    couldNotRun,
    counts,
  };
}

/** "8 → 93" from a scaling row, smallest size to largest. */
const span = (queries?: number[]) => (queries && queries.length ? (queries[0] === queries[queries.length - 1] ? count(queries[0]) : `${count(queries[0])} → ${count(queries[queries.length - 1])}`) : NONE);

/** The public scenario's first scaling row shows whether the candidate made it fast. */
function speedNote(comparison: Comparison): string | undefined {
  const row = comparison.queries[0];
  if (!row || row.growth.broken !== 'grows' || row.growth.candidate !== 'constant') return undefined;
  const q = row.queries.candidate!;
  return `fast (${count(q[q.length - 1])} quer${q[q.length - 1] === 1 ? 'y' : 'ies'} at the largest size; the original: ${span(row.queries.broken)})`;
}

/** A hazard the candidate's code brought in: the original's own (an unfixed bug) is "not fixed", not "unsafe". */
const introducedHazard = (c: Comparison) => (c.sides.candidate?.hazard && c.sides.candidate.hazard !== c.sides.broken?.hazard ? c.sides.candidate.hazard : undefined);

const describeFailure = (c: Comparison) => `${c.hidden ? `hidden check \`${c.scenario}\`` : `\`${c.scenario}\``} ${c.sides.candidate?.verdict ?? 'not run'}: ${c.sides.candidate?.reason ?? ''}`.trim();

function areaVerdicts(comparisons: Comparison[], assignment: CompareOptions['assignment'], couldNotRun: string | undefined): AreaVerdict[] {
  const publicOnes = comparisons.filter((c) => !c.hidden);
  const assigned = assignment ? new Set(assignedScenarios(assignment)) : undefined;
  const verdicts = publicOnes.map((pub): AreaVerdict => {
    const deeper = comparisons.filter((c) => c.hidden && c.area === pub.scenario);
    const part = partOf(pub.scenario)?.name;
    const base = { area: pub.scenario, title: pub.title, part };
    if (assigned && !assigned.has(pub.scenario)) return { ...base, status: 'not assigned', notes: [] };
    const candidate = pub.sides.candidate;
    const deeperFailed = deeper.filter((c) => failed(c.sides.candidate));
    const deeperUnsettled = deeper.filter((c) => unsettled(c.sides.candidate));
    const deeperFixed = deeper.filter((c) => c.transition === 'FAIL_TO_PASS');
    const notes: string[] = [];
    if (couldNotRun) return { ...base, status: 'not fixed', notes: ['the code did not load'] };
    if (!candidate) return { ...base, status: 'not fixed', notes: ['not run (the review was interrupted)'] };
    // Worse than unfixed, whatever else passes: said first, in plain words.
    const hazardous = [pub, ...deeper].filter(introducedHazard);
    if (hazardous.length) {
      return { ...base, status: 'unsafe', notes: hazardous.map((c) => `${HAZARD_WORDS[introducedHazard(c)!]}: ${describeFailure(c)}`) };
    }
    const speed = speedNote(pub);

    if (passed(candidate) || unsettled(candidate)) {
      if (deeperFailed.length) {
        notes.push(`${speed ? `${speed} but wrong: ` : ''}${deeperFailed.map(describeFailure).join('; ')}`);
        return { ...base, status: 'partially fixed', notes };
      }
      if (unsettled(candidate) || deeperUnsettled.length) {
        const which = [...(unsettled(candidate) ? [pub] : []), ...deeperUnsettled];
        notes.push(`${which.map((c) => `\`${c.scenario}\``).join(' and ')} cannot be shown on this backend: ${which[0]!.sides.candidate!.reason}`);
        if (passed(candidate)) notes.unshift(`\`${pub.scenario}\` passes${deeper.length ? `; ${deeper.length - deeperUnsettled.length} of ${deeper.length} hidden check(s) pass` : ''}`);
        return { ...base, status: 'unsettled', notes };
      }
      notes.push(`\`${pub.scenario}\` passes${deeper.length ? (deeper.length === 1 ? ' and so does its hidden check' : ` and so do its ${deeper.length} hidden checks`) : ''}${speed ? `; ${speed}` : ''}`);
      return { ...base, status: 'fixed', notes };
    }

    // The public scenario still fails: credit what did change.
    const credits: string[] = [];
    if (speed) credits.push(speed);
    if (deeperFixed.length) credits.push(`${deeperFixed.map((c) => `hidden check \`${c.scenario}\``).join(', ')} now pass${deeperFixed.length === 1 ? 'es' : ''}`);
    if (credits.length) {
      notes.push(`${credits.join('; ')}, but still failing: ${candidate.verdict}: ${candidate.reason}`);
      return { ...base, status: 'partially fixed', notes };
    }
    notes.push(`${candidate.hazard ? `still as the original: ${HAZARD_WORDS[candidate.hazard]}; ` : ''}${candidate.verdict}: ${candidate.reason}`);
    return { ...base, status: 'not fixed', notes };
  });

  // Part B asks for one feature: the options the candidate left alone were not chosen, not failed.
  // The candidate's declaration in exercise.json says which; without one, the work done says it.
  const offered = verdicts.filter((v) => (FEATURE_OPTIONS as readonly string[]).includes(v.area) && v.status !== 'not assigned');
  const declared = offered.find((v) => v.area === assignment?.chosen);
  if (declared) {
    declared.notes.unshift('the Part B option exercise.json declares');
    for (const v of offered) {
      if (v !== declared && v.status === 'not fixed') Object.assign(v, { status: 'not chosen', notes: [`exercise.json declares "chosen": "${declared.area}"`, ...v.notes] });
    }
  } else if (offered.some((v) => v.status !== 'not fixed')) {
    for (const v of offered) if (v.status === 'not fixed') Object.assign(v, { status: 'not chosen', notes: ['another Part B option was chosen', ...v.notes] });
  }
  return verdicts;
}

// ---------------------------------------------------------------------------------------------
// Markdown

export type RubricAudience = 'reviewer' | 'candidate';

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string | number | undefined) => (s === undefined || s === '' ? '—' : String(s).replace(/\|/g, '\\|').replace(/\n/g, ' '));
const table = (head: string[], rows: (string | number | undefined)[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
const last = (q?: number[]) => (q && q.length ? q[q.length - 1] : undefined);

const STATUS_ORDER: AreaStatus[] = ['unsafe', 'fixed', 'partially fixed', 'unsettled', 'not fixed', 'not chosen', 'not assigned'];
const STATUS_LABEL: Record<AreaStatus, string> = {
  unsafe: 'UNSAFE',
  fixed: 'Fixed',
  'partially fixed': 'Partially fixed',
  unsettled: 'Not settled on this backend',
  'not fixed': 'Not fixed',
  'not chosen': 'Not chosen (Part B asks for one option)',
  'not assigned': 'Not assigned',
};

const clip = (text: string, max = 220) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The block a reviewer pastes into the hiring decision: plain text, one line per finding. */
export function pasteableSummary(review: Review, findings: string[] = []): string {
  const lines = [`Candidate: ${review.candidate} (review of ${review.date.slice(0, 10)}, ${review.backend}${review.complete ? '' : ', INTERRUPTED'})`];
  if (review.couldNotRun) lines.push(`Could not run: the code did not load in any scenario (${review.couldNotRun})`);
  for (const status of STATUS_ORDER) {
    const areas = review.areas.filter((a) => a.status === status);
    if (areas.length === 0 || status === 'not assigned') continue;
    const detail = status === 'partially fixed' || status === 'unsettled' || status === 'unsafe';
    lines.push(`${STATUS_LABEL[status]}: ${areas.map((a) => (detail ? `${a.area} (${clip(a.notes.join('; '))})` : a.area)).join(detail ? '; ' : ', ')}`);
  }
  lines.push(`Regressed: ${review.regressions.length ? review.regressions.map((c) => `${c.scenario} (${clip(`${c.sides.candidate?.verdict}: ${c.sides.candidate?.reason}`)})`).join('; ') : 'nothing that worked broke'}`);
  lines.push(`Transitions: ${TRANSITIONS.filter((t) => review.counts[t] > 0).map((t) => `${review.counts[t]} ${t}`).join(', ')}`);
  lines.push(...findings);
  if (review.backend === 'pg-mem' && review.areas.some((a) => a.status === 'unsettled')) lines.push('Settle the concurrency findings with: --db postgres (or --db embedded)');
  return lines.join('\n');
}

/** One plain sentence per hazardous result; the candidate's copy names public scenarios only. */
function unsafeFindings(review: Review, audience: RubricAudience): string[] {
  return review.comparisons
    .filter((c) => introducedHazard(c) && (audience === 'reviewer' || !c.hidden))
    .map((c) => `${HAZARD_WORDS[introducedHazard(c)!]}, in ${code(c.area)}: ${describeFailure(c)}`);
}

/** The rubric for the top of the reviewer's report, or the candidate's public-only version. */
/** `findings`: the submission's lines for the hiring decision's block (reviewers only). */
export function renderRubric(review: Review, audience: RubricAudience, findings: string[] = []): string {
  const shown = audience === 'reviewer' ? review.comparisons : review.comparisons.filter((c) => !c.hidden);
  const hiddenCount = review.comparisons.filter((c) => c.hidden).length;
  const out: string[] = [];
  const who = audience === 'reviewer' ? `\`${review.candidate}\`` : 'your code';
  out.push(
    `_${who} against the original code and the reference answer on ${review.backend}, ${review.date.slice(0, 10)}: ` +
      `${shown.length} scenario(s)${audience === 'reviewer' && hiddenCount ? ` (${hiddenCount} hidden)` : ''}._`,
  );
  if (!review.complete) out.push('> **This review was interrupted: it lists only the results that finished.**');
  if (review.couldNotRun) out.push(`> **Could not run:** the code failed in every scenario with the same error: ${code(review.couldNotRun)}`);
  const unsafe = unsafeFindings(review, audience);
  if (unsafe.length) out.push([`> **Unsafe: ${audience === 'reviewer' ? 'this code' : 'your code'} endangers data or other shops.**`, ...unsafe.map((line) => `> - ${line}`)].join('\n'));

  if (audience === 'reviewer') {
    out.push('## Rubric');
    out.push(table(['Area', 'Part', 'Verdict', 'Notes'], review.areas.map((a) => [code(a.area), a.part, `**${a.status}**`, a.notes.join('; ')])));
    out.push(
      '### Regressed',
      review.regressions.length
        ? review.regressions.map((c) => `- ${code(c.scenario)}${c.hidden ? ' (hidden)' : ''} passed on the original code and now gives ${c.sides.candidate?.verdict}: ${c.sides.candidate?.reason}`).join('\n')
        : 'Nothing that worked on the original code fails now.',
    );
    out.push('### For the hiring decision', '```text\n' + pasteableSummary(review, findings) + '\n```');
    const warnings = review.comparisons.filter((c) => c.baselineWarning);
    if (warnings.length) {
      out.push('### Baseline warnings', warnings.map((c) => `- ${code(c.scenario)}: ${c.baselineWarning}; weigh its transition with care.`).join('\n'));
    }
  }

  const label = (role: Role) =>
    audience === 'reviewer' ? (role === 'candidate' ? review.candidate : role) : role === 'candidate' ? 'yours' : role === 'broken' ? 'original' : 'reference';
  out.push('## Scenario by scenario');
  out.push(
    table(
      ['Scenario', ...(audience === 'reviewer' ? ['Hidden'] : []), label('broken'), label('candidate'), label('fixed'), 'Transition'],
      shown.map((c) => [
        code(c.scenario),
        ...(audience === 'reviewer' ? [c.hidden ? 'yes' : ''] : []),
        c.sides.broken?.verdict,
        c.sides.candidate?.verdict,
        c.sides.fixed?.verdict,
        c.transition,
      ]),
    ),
  );
  out.push(
    '`FAIL_TO_PASS` fixed · `PASS_TO_PASS` worked and still works · `STILL_FAILING` not fixed (or errors, or times out) · `NEWLY_BROKEN` worked on the original code and fails now · `UNSETTLED` this backend cannot show it (INCONCLUSIVE).',
  );

  const queryRowsShown = shown.flatMap((c) => c.queries.map((q) => ({ c, q })));
  if (queryRowsShown.length) {
    out.push('## Query counts');
    out.push(`Queries for one request at each data size (${queryRowsShown[0]!.q.sizes.join(', ')}), smallest → largest, and the ratio at the largest size.`);
    out.push(
      table(
        ['Scenario', 'Request', label('broken'), label('candidate'), label('fixed'), `Growth (${label('candidate')})`, `vs original`, `vs reference`],
        queryRowsShown.map(({ c, q }) => [
          code(c.scenario),
          q.title,
          span(q.queries.broken),
          span(q.queries.candidate),
          span(q.queries.fixed),
          q.growth.candidate,
          ratio(last(q.queries.candidate), last(q.queries.broken)),
          ratio(last(q.queries.candidate), last(q.queries.fixed)),
        ]),
      ),
    );
  }
  const latencyShown = shown.flatMap((c) => c.latency.map((l) => ({ c, l })));
  if (latencyShown.length) {
    out.push('## Latency under load');
    out.push(
      `Median of the load rounds, in ms.${review.backend === 'pg-mem' ? ' On pg-mem latency is not a database server\'s: read the ratios, and settle them with --db postgres.' : ''}`,
    );
    out.push(
      table(
        ['Scenario', 'Load', `p50 ${label('broken')} / ${label('candidate')} / ${label('fixed')}`, `p99 ${label('broken')} / ${label('candidate')} / ${label('fixed')}`, 'p50 vs original', 'p50 vs reference', 'p99 vs original', 'p99 vs reference'],
        latencyShown.map(({ c, l }) => [
          code(c.scenario),
          `${l.label} (${l.size})`,
          ROLES.map((r) => ms(l.stats[r]?.p50)).join(' / '),
          ROLES.map((r) => ms(l.stats[r]?.p99)).join(' / '),
          ratio(l.stats.candidate?.p50, l.stats.broken?.p50),
          ratio(l.stats.candidate?.p50, l.stats.fixed?.p50),
          ratio(l.stats.candidate?.p99, l.stats.broken?.p99),
          ratio(l.stats.candidate?.p99, l.stats.fixed?.p99),
        ]),
      ),
    );
  }

  const explained = shown.filter((c) => c.sides.candidate && c.sides.candidate.verdict !== 'PASS');
  if (explained.length) {
    out.push(audience === 'reviewer' ? '## Why they did not pass' : '## What still fails');
    out.push(explained.map((c) => `- ${code(c.scenario)} ${c.sides.candidate!.verdict}: ${c.sides.candidate!.reason}`).join('\n'));
  }
  return out.join('\n\n');
}
