// Turns a run's JSON into the markdown people read on GitHub: verdicts first, then the numbers that
// sum up what the fix changed, then the evidence scenario by scenario. Pure (a string out, no I/O),
// so a report can be re-rendered from its JSON at any time and tested on a fixture.
import { VERDICT_MEANING, type Verdict } from '../../service/shared/report';
import type {
  Evidence,
  LatencyStats,
  LoadMeasurement,
  RaceTrial,
  RunResult,
  Scaling,
  ScenarioResult,
} from '../scenario';
import { count, duration, ms, NONE, ratio, rps } from './format';
import { baselinePair, variantWithRole } from '../roles';

/** For a report made for someone in particular: what it says besides the run. */
export interface RenderOptions {
  /** A line under the title. */
  note?: string;
  /** By scenario id: a line under that scenario's heading. */
  scenarioNotes?: Record<string, string>;
}

const MAX_REQUEST_ROWS = 30;
const MAX_SHAPES = 5;
const MAX_UNCOMMITTED = 5;
const MAX_SHAPE_CHARS = 160;

/** The verdicts' shared meanings (the page shows the same); where the configuration names an original (harness/roles.ts), a FAIL is what it should show. */
function legend(): string {
  const original = variantWithRole('original');
  const detail: Partial<Record<Verdict, string>> = {
    FAIL: original ? ` (what \`${original.label}\` should show)` : ' (the symptom is there)',
    INCONCLUSIVE: ' (the details name the `--db` that settles it)',
  };
  return [...(['FAIL', 'PASS', 'INCONCLUSIVE', 'ERROR', 'TIMEOUT'] as const).map((v) => `\`${v}\` ${VERDICT_MEANING[v]}${detail[v] ?? ''}`), `\`${NONE}\` not run.`].join(' · ');
}

type Cell = string | number | boolean | null | undefined;

/** A run as the report shows it. */
interface View {
  run: RunResult;
  options: RenderOptions;
  /** Scenario ids to show, in run order. */
  ids: string[];
  variants: string[];
  results: ScenarioResult[];
}

export function renderMarkdown(run: RunResult, options: RenderOptions = {}): string {
  const view = viewOf(run, options);
  const sections = [
    titleOf(view),
    interruptedWarning(view),
    options.note ?? '',
    provenance(view),
    verdictMatrix(view),
    comparison(view),
    ...view.ids.map((id) => scenarioDetails(view, id)),
  ];
  return sections.filter((section) => section !== '').join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// What to show

function viewOf(run: RunResult, options: RenderOptions = {}): View {
  const results = run.results ?? [];
  const ids = unique([...(run.scenarios ?? []), ...results.map((result) => result.scenario)]);
  const variants = unique([...(run.header?.variants ?? []), ...results.map((result) => result.variant)]);
  return { run, options, ids, variants, results };
}

/** The latest result of a scenario for a variant (a re-run replaces an earlier one). */
function resultFor(view: View, id: string, variant: string): ScenarioResult | undefined {
  let latest: ScenarioResult | undefined;
  for (const result of view.results) if (result.scenario === id && result.variant === variant) latest = result;
  return latest;
}

function resultsOf(view: View, id: string): ScenarioResult[] {
  return view.variants.map((variant) => resultFor(view, id, variant)).filter(isDefined);
}

/** Reports are read back from files, so arrays the type promises may still be missing. */
function evidenceOf(result: ScenarioResult): Evidence {
  const e: Partial<Evidence> = result.evidence ?? {};
  return {
    requests: e.requests ?? [],
    observations: e.observations ?? [],
    tables: e.tables ?? [],
    shapes: e.shapes ?? [],
    scaling: e.scaling ?? [],
    load: e.load ?? [],
    race: e.race ?? [],
    caveats: e.caveats ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// Top of the report

function titleOf(view: View): string {
  return `# Regression Lab report: ${text(view.run.header?.backend)}`;
}

function interruptedWarning(view: View): string {
  if (view.run.complete) return '';
  const finished = view.results.length;
  // The run's plan gives the expected total; a run that lists no plan gets the count alone.
  const expected = (view.run.scenarios ?? []).length * (view.run.header?.variants ?? []).length;
  const of = expected > 0 ? ` of ${expected}` : '';
  return (
    `> **Warning: this run was interrupted (or is still going).** ` +
    `It lists only the ${finished}${of} results that finished.`
  );
}

function provenance(view: View): string {
  const h = view.run.header ?? ({} as Partial<RunResult['header']>);
  const lines = [
    `- **Date:** ${text(h.date)}`,
    `- **Commit:** ${code(text(h.commit))}${uncommitted(h.uncommitted)}`,
    `- **Node:** ${text(h.node)}`,
    `- **Database:** ${text(h.databaseVersion)} (backend ${code(text(h.backend))})`,
    ...(h.engineFallback ? [`- **Fell back to pg-mem:** ${text(h.engineFallback)}`] : []),
    ...(h.databaseAuth ? [`- **Authentication:** ${text(h.databaseAuth)}`] : []),
    `- **Variants:** ${(h.variants ?? []).map((variant) => code(variant)).join(', ') || NONE}`,
    `- **Cores:** ${count(h.cores)}`,
    `- **Scale:** ${text(h.scale)}, **seed:** ${text(h.seed)}`,
    `- **Load:** ${isFiniteNumber(h.duration) ? String(h.duration) : NONE} s per round, ${count(h.connections)} connections`,
    `- **Race trials:** ${count(h.trials)}${h.processes !== undefined && h.processes > 1 ? `, each split over ${count(h.processes)} service processes on one database` : ''}`,
    `- **Isolation:** ${text(h.isolation)}`,
  ];
  if (view.run.totalMs !== undefined) lines.push(`- **Total time:** ${duration(view.run.totalMs)}`);
  return [lines.join('\n'), 'Reproduce with:', fenced('sh', text(h.command))].join('\n\n');
}

/** What made the commit dirty: enough paths to judge whether the change touched the code measured. */
function uncommitted(paths: unknown): string {
  if (!Array.isArray(paths) || paths.length === 0) return '';
  const shown = paths.slice(0, MAX_UNCOMMITTED).map((path) => code(text(path)));
  const more = paths.length - shown.length;
  return `, uncommitted changes to ${shown.join(', ')}${more > 0 ? ` and ${more} more ${more === 1 ? 'file' : 'files'}` : ''}`;
}

/** `links`: each cell links to its scenario's details, further down the same report. */
function verdictMatrix(view: View, { links = true } = {}): string {
  const cell = (label: string, id: string) => (links ? link(label, id) : label);
  const rows = view.ids.map((id) => [
    cell(id, id),
    ...view.variants.map((variant) => {
      const result = resultFor(view, id, variant);
      return result ? cell(text(result.verdict), id) : NONE;
    }),
  ]);
  return ['## Verdicts', table(['Scenario', ...view.variants], rows), legend()].join('\n\n');
}

/**
 * The verdict matrix alone, for a page that shows nothing else (a CI job's summary): without links,
 * since the details they point to are in the report, which it names instead.
 */
export function renderVerdictSummary(run: RunResult, report: string): string {
  const view = viewOf(run);
  return [verdictMatrix(view, { links: false }), `Backend: ${code(text(run.header?.backend))}. The full report: ${code(report)}.`].join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Before -> after

/** The configured original and reference when both ran (harness/roles.ts), else the first two variants: the before and after of a change. */
function comparedPair(variants: string[]): [string, string] | undefined {
  const baseline = baselinePair();
  if (baseline && baseline.every((variant) => variants.includes(variant))) return baseline;
  const [before, after] = variants;
  return before !== undefined && after !== undefined ? [before, after] : undefined;
}

function comparison(view: View): string {
  const pair = comparedPair(view.variants);
  if (!pair) return '';
  const parts = [ratiosTable(view, pair), latencyCharts(view), scalingComparison(view)].filter((part) => part !== '');
  if (parts.length === 0) return '';
  return [`## ${capitalize(pair[0])} -> ${pair[1]}`, ...parts].join('\n\n');
}

function ratiosTable(view: View, [before, after]: [string, string]): string {
  const rows: string[][] = [];
  for (const id of view.ids) {
    const loadsBefore = loadsOf(resultFor(view, id, before));
    const loadsAfter = loadsOf(resultFor(view, id, after));
    for (const slow of loadsBefore) {
      const fast = loadsAfter.find((m) => m.label === slow.label && m.size === slow.size);
      if (fast) rows.push(ratioRow(id, slow, fast));
    }
  }
  if (rows.length === 0) return '';
  const columns = [
    'Scenario',
    'Load',
    `p50 ${before}/${after}`,
    `p99 ${before} (ms)`,
    `p99 ${after} (ms)`,
    `p99 ${before}/${after}`,
    `rps ${after}/${before}`,
    `${after} p99 / floor p99`,
  ];
  const note =
    `Medians of interleaved rounds. Latency ratios above 1.0x and rps ratios above 1.0x mean \`${after}\` is faster. ` +
    `The floor is one trivial query loaded in the same rounds: near 1.0x, the endpoint costs what any request costs.`;
  return ['### Latency', note, table(columns, rows)].join('\n\n');
}

function loadsOf(result: ScenarioResult | undefined): LoadMeasurement[] {
  return result ? evidenceOf(result).load : [];
}

function ratioRow(id: string, slow: LoadMeasurement, fast: LoadMeasurement): string[] {
  return [
    link(id, id),
    `${text(slow.label)} (${text(slow.size)})`,
    ratio(slow.median?.p50, fast.median?.p50),
    ms(slow.median?.p99),
    ms(fast.median?.p99),
    ratio(slow.median?.p99, fast.median?.p99),
    ratio(fast.median?.rps, slow.median?.rps),
    ratio(fast.median?.p99, fast.floor?.p99),
  ];
}

function scalingComparison(view: View): string {
  const blocks = view.ids.flatMap((id) => scalingTitles(view, id).map((title) => scalingSideBySide(view, id, title)));
  if (blocks.length === 0) return '';
  return ['### Queries by data size', ...blocks].join('\n\n');
}

function scalingTitles(view: View, id: string): string[] {
  return unique(resultsOf(view, id).flatMap((result) => evidenceOf(result).scaling.map((s) => s.title)));
}

function scalingSideBySide(view: View, id: string, title: string): string {
  const byVariant = view.variants.map((variant) => {
    const result = resultFor(view, id, variant);
    return result ? evidenceOf(result).scaling.find((s) => s.title === title) : undefined;
  });
  const points = byVariant.flatMap((scaling) => scaling?.points ?? []);
  const sizes = unique(points.map((p) => p.size)).sort((a, b) => a - b);
  const rows = sizes.map((size) => [
    text(points.find((p) => p.size === size)?.label ?? size),
    ...byVariant.map((scaling) => count(scaling?.points.find((p) => p.size === size)?.queries)),
  ]);
  rows.push(['**growth**', ...byVariant.map((scaling) => (scaling ? `**${text(scaling.growth)}**` : NONE))]);
  const columns = ['Size', ...view.variants.map((variant) => `${variant} queries`)];
  const chart = scalingChart(`${id}: ${title}`, view.variants, byVariant, sizes);
  return [`${link(id, id)}: ${text(title)}`, table(columns, rows), chart].filter((part) => part !== '').join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Charts: mermaid `xychart-beta` in ```mermaid blocks, which GitHub draws. xychart has no legend,
// so a caption under each chart names the series in order. Only measured values are drawn: a
// variant or a size without a number is left out of the chart, never drawn as 0.

/** Queries by data size, one line per variant that measured every size charted. */
function scalingChart(title: string, variants: string[], byVariant: (Scaling | undefined)[], sizes: number[]): string {
  const queriesAt = (scaling: Scaling | undefined, size: number) => scaling?.points.find((p) => p.size === size)?.queries;
  const lines = variants
    .map((variant, i) => ({ variant, scaling: byVariant[i] }))
    .filter(({ scaling }) => scaling && sizes.some((size) => isFiniteNumber(queriesAt(scaling, size))));
  const charted = sizes.filter((size) => lines.every(({ scaling }) => isFiniteNumber(queriesAt(scaling, size))));
  if (lines.length === 0 || charted.length < 2) return '';
  const labels = charted.map((size) => lines[0]!.scaling!.points.find((p) => p.size === size)!.label ?? String(size));
  const series = lines.map(({ scaling }) => charted.map((size) => queriesAt(scaling, size) as number));
  return [
    xyChart(title, 'data size', labels, 'queries per request', series.map((values) => ({ kind: 'line', values }))),
    `_Chart: one line per variant, in this order: ${lines.map(({ variant }) => code(variant)).join(', ')}._`,
  ].join('\n\n');
}

/** p50 and p99 under load, one bar per variant and percentile, for each load every variant ran alike. */
function latencyCharts(view: View): string {
  const blocks = view.ids.flatMap((id) => {
    const results = resultsOf(view, id);
    const loads = unique(results.flatMap((result) => evidenceOf(result).load.map((m) => `${m.label}\u0000${m.size}`)));
    return loads.flatMap((key) => {
      const [label, size] = key.split('\u0000') as [string, string];
      const bars = results.flatMap((result) => {
        const m = evidenceOf(result).load.find((load) => `${load.label}\u0000${load.size}` === key);
        const [p50, p99] = [m?.median?.p50, m?.median?.p99];
        if (!isFiniteNumber(p50) || !isFiniteNumber(p99)) return [];
        return [{ name: `${result.variant} p50`, value: p50 }, { name: `${result.variant} p99`, value: p99 }];
      });
      if (bars.length === 0) return [];
      const chart = xyChart(`${id}: ${label} (${size}), ms`, 'variant and percentile', bars.map((b) => b.name), 'latency (ms)', [
        { kind: 'bar', values: bars.map((b) => b.value) },
      ]);
      return [[`${link(id, id)}: ${text(label)} (${text(size)})`, chart].join('\n\n')];
    });
  });
  if (blocks.length === 0) return '';
  const note = 'p50 and p99 in ms under load, medians of the interleaved rounds: one bar per variant and percentile.';
  return ['### Latency by variant', note, ...blocks].join('\n\n');
}

interface Series {
  kind: 'line' | 'bar';
  values: number[];
}

function xyChart(title: string, xTitle: string, categories: string[], yTitle: string, series: Series[]): string {
  // From 0, so that a bar's or a line's height compares honestly with another's.
  const top = Math.max(1, ...series.flatMap((s) => s.values));
  const body = [
    'xychart-beta',
    `  title ${mermaidString(title)}`,
    `  x-axis ${mermaidString(xTitle)} [${categories.map(mermaidString).join(', ')}]`,
    `  y-axis ${mermaidString(yTitle)} 0 --> ${mermaidNumber(top)}`,
    ...series.map((s) => `  ${s.kind} [${s.values.map(mermaidNumber).join(', ')}]`),
  ];
  return fenced('mermaid', body.join('\n'));
}

/**
 * A quoted xychart string. Its lexer ends a string at the next `"` and has no escape, so a double
 * quote becomes a single one; a backquote would start a markdown string and ends the fence on
 * GitHub, so it becomes a single quote too.
 */
function mermaidString(value: unknown): string {
  return `"${text(value).replace(/["`]/g, "'")}"`;
}

/** Numbers as xychart reads them: plain decimals (no exponent), one decimal at most. */
function mermaidNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

// ---------------------------------------------------------------------------------------------
// Details per scenario

function scenarioDetails(view: View, id: string): string {
  const results = resultsOf(view, id);
  const first = results[0];
  if (!first) return [`## ${id}`, '_Not run._'].join('\n\n');
  return [
    `## ${id}`,
    `**${text(first.title)}**`,
    `Teaches: ${text(first.teaches)}`,
    view.options.scenarioNotes?.[id] ?? '',
    ...results.map(variantDetails),
  ]
    .filter((part) => part !== '')
    .join('\n\n');
}

function variantDetails(result: ScenarioResult): string {
  const e = evidenceOf(result);
  return [
    `### ${text(result.variant)}: ${text(result.verdict)}`,
    verdictLine(result),
    stepsList(result.steps ?? []),
    requestsTable(e.requests),
    observationsList(e.observations),
    ...e.tables.map(customTable),
    shapesList(e.shapes),
    ...e.scaling.map(scalingTable),
    loadTable(e.load),
    raceTable(e.race),
    caveatsQuote(e.caveats),
  ]
    .filter((part) => part !== '')
    .join('\n\n');
}

function verdictLine(result: ScenarioResult): string {
  const settle =
    result.verdict === 'INCONCLUSIVE' && result.settleWith ? `: settle with \`--db ${result.settleWith}\`` : '';
  // An ERROR's reason may carry a stack: its first line reads as the reason, the rest stays intact below.
  const [first, ...rest] = (result.reason ?? '').trim().split('\n');
  const line = `**${text(result.verdict)}**: ${text(first)}${settle} (took ${duration(result.durationMs)})`;
  return rest.length > 0 ? [line, fenced('text', rest.join('\n'))].join('\n\n') : line;
}

function stepsList(steps: ScenarioResult['steps']): string {
  if (steps.length === 0) return '';
  const items = steps.map((step, i) => `${i + 1}. ${text(step.title)} (${duration(step.ms)})`);
  return ['**Steps**', items.join('\n')].join('\n\n');
}

function requestsTable(requests: Evidence['requests']): string {
  if (requests.length === 0) return '';
  const rows = requests
    .slice(0, MAX_REQUEST_ROWS)
    .map((r) => [text(r.method), code(text(r.path)), text(r.status), count(r.queries), ms(r.ms)]);
  const omitted = requests.length - MAX_REQUEST_ROWS;
  const parts = ['**Requests**', table(['Method', 'Path', 'Status', 'Queries', 'ms'], rows)];
  if (omitted > 0) parts.push(`_${omitted} more requests omitted._`);
  return parts.join('\n\n');
}

function observationsList(observations: Evidence['observations']): string {
  if (observations.length === 0) return '';
  const items = observations.map((o) => `- ${text(o.label)}: ${cell(o.value)}`);
  return ['**Observations**', items.join('\n')].join('\n\n');
}

function customTable(t: Evidence['tables'][number]): string {
  const rows = (t.rows ?? []).map((row) => row.map(cell));
  return [`**${text(t.title)}**`, table((t.columns ?? []).map(text), rows)].join('\n\n');
}

function shapesList(shapes: Evidence['shapes']): string {
  if (shapes.length === 0) return '';
  const blocks = shapes.map((entry) => {
    const list = entry.shapes ?? [];
    const top = list
      .slice(0, MAX_SHAPES)
      .map((s) => `  - ${count(s.count)} × ${code(truncate(text(s.shape), MAX_SHAPE_CHARS))}`);
    const hidden = list.length - MAX_SHAPES;
    const more = hidden > 0 ? [`  - … and ${hidden} more ${hidden === 1 ? 'shape' : 'shapes'}`] : [];
    return [`- ${text(entry.request)}: ${count(entry.total)} queries`, ...top, ...more].join('\n');
  });
  return ['**Query shapes**', blocks.join('\n')].join('\n\n');
}

function scalingTable(scaling: Scaling): string {
  const rows = (scaling.points ?? []).map((p) => [count(p.size), text(p.label), count(p.queries), ms(p.ms)]);
  return [
    `**Scaling: ${text(scaling.title)}** (growth: **${text(scaling.growth)}**)`,
    table(['Size', 'Label', 'Queries', 'ms'], rows),
  ].join('\n\n');
}

function loadTable(load: LoadMeasurement[]): string {
  if (load.length === 0) return '';
  const columns = ['Label', 'Size', 'p50', 'p90', 'p99', 'max', 'rps', 'requests', 'errors', 'timeouts', 'non-2xx'];
  const withFloor = load.some((m) => m.floor);
  if (withFloor) columns.push('floor p99');
  const rows = load.map((m) => {
    const row = [text(m.label), text(m.size), ...latencyCells(m.median)];
    if (withFloor) row.push(ms(m.floor?.p99));
    return row;
  });
  const spreads = load.map(roundsLine);
  return ['**Load** (latency in ms, medians of the rounds)', table(columns, rows), spreads.join('\n')].join('\n\n');
}

function latencyCells(stats: LatencyStats | undefined): string[] {
  return [
    ms(stats?.p50),
    ms(stats?.p90),
    ms(stats?.p99),
    ms(stats?.max),
    rps(stats?.rps),
    count(stats?.requests),
    count(stats?.errors),
    count(stats?.timeouts),
    count(stats?.non2xx),
  ];
}

function roundsLine(m: LoadMeasurement): string {
  const p99s = (m.rounds ?? []).map((round) => round.p99).filter(isFiniteNumber);
  const spread = p99s.length > 0 ? `${ms(Math.min(...p99s))}–${ms(Math.max(...p99s))} ms` : NONE;
  return `- ${text(m.label)}: ${(m.rounds ?? []).length} rounds, p99 across rounds ${spread}`;
}

function raceTable(race: RaceTrial[]): string {
  if (race.length === 0) return '';
  const columns = [
    'Trial',
    'Initial stock',
    'Requests',
    'Accepted',
    'Rejected',
    'Unknown',
    'Units sold',
    'Final stock',
    'Oversold',
    'Conserved',
  ];
  const split = race.some((t) => (t.acceptedByProcess?.length ?? 0) > 1);
  if (split) columns.push('Accepted per process');
  const rows = race.map((t, i) => [
    String(i + 1),
    count(t.initialStock),
    count(t.requests),
    count(t.accepted),
    count(t.rejected),
    count(t.unknown),
    count(t.unitsSold),
    count(t.finalStock),
    count(t.oversold),
    cell(t.conserved),
    ...(split ? [(t.acceptedByProcess ?? []).map(count).join(' + ') || NONE] : []),
  ]);
  return ['**Race trials**', table(columns, rows)].join('\n\n');
}

function caveatsQuote(caveats: string[]): string {
  if (caveats.length === 0) return '';
  return ['> **Caveats**', '>', ...caveats.map((c) => `> - ${text(c)}`)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Markdown and number formatting

function table(columns: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A `|` would end the cell, and a newline the row; GitHub honours `\|` even inside code spans. */
function escapeCell(value: string): string {
  return oneLine(value).replace(/\|/g, '\\|');
}

/** GitHub's heading anchor for a heading text. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function link(label: string, id: string): string {
  return `[${label}](#${anchor(id)})`;
}

/** A code span whose fence is longer than any run of backticks inside it. */
function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

function fenced(language: string, body: string): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}

/** Any value as one line of text; a missing one as a dash, never "undefined" or "NaN". */
function text(value: unknown): string {
  if (value === undefined || value === null) return NONE;
  if (typeof value === 'number' && !Number.isFinite(value)) return NONE;
  const line = oneLine(String(value));
  return line === '' ? NONE : line;
}

function cell(value: Cell): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return text(value);
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
