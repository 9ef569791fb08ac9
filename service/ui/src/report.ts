// The latest scenario report (GET /reports/latest.json): the verdict matrix, query counts as the
// data grows, and latency under load. The model and the verdicts' meanings are the harness's own
// (service/shared/report.ts), so this page and the markdown report cannot disagree.
import { VERDICT_MEANING, type Evidence, type Report, type ReportResult, type Verdict } from '../../shared/report';
import { barChart } from './chart';
import { el, message, type Child } from './dom';
import { count } from './format';

/** Colour classes for variants, in the order the run took them; then the latency percentiles'. */
const VARIANT_CLASSES = ['series-a', 'series-b', 'series-c', 'series-d', 'series-e', 'series-f'];
const PERCENTILE_CLASSES: Record<string, string> = { p50: 'series-p50', p99: 'series-p99' };

/**
 * Each variant's colour, by its place in the run rather than by its name, so that the page needs no
 * variant's name and colours an export's variant as it does the lab's: the first variant a run
 * takes (the code as it shipped) is always drawn in the same colour.
 */
export function variantColours(variants: readonly string[]): (name: string) => string | undefined {
  return (name) => {
    const index = variants.indexOf(name);
    return index === -1 ? undefined : VARIANT_CLASSES[index % VARIANT_CLASSES.length];
  };
}

/** The variants of a report in run order: the header's, then any that only its results name. */
export function reportVariants(report: Partial<Report>): string[] {
  const results = Array.isArray(report.results) ? report.results : [];
  return unique([...(report.header?.variants ?? []), ...results.map((r) => r.variant)]);
}

/** The verdicts a reader meets first, with their meanings. */
const HINTED: Verdict[] = ['PASS', 'FAIL', 'INCONCLUSIVE'];

function unique<T>(values: (T | undefined | null)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== undefined && v !== null))];
}

export function renderReport(report: Partial<Report>, fileName: string | null): Child[] {
  const results: ReportResult[] = Array.isArray(report.results) ? report.results : [];
  const header: Partial<Report['header']> = report.header ?? {};
  const variants = reportVariants(report);
  const colourOf = variantColours(variants);
  const scenarios = unique([...(report.scenarios ?? []), ...results.map((r) => r.scenario)]);
  const find = (scenario: string, variant: string) => results.find((r) => r.scenario === scenario && r.variant === variant);
  const titleOf = (scenario: string) => results.find((r) => r.scenario === scenario)?.title;

  const facts = [
    header.date && `run ${new Date(header.date).toLocaleString()}`,
    header.backend && `backend ${header.backend}`,
    header.databaseVersion,
    header.scale && `scale ${header.scale}`,
    header.commit && `commit ${String(header.commit).slice(0, 7)}`,
    fileName && `file ${fileName}`,
  ].filter(Boolean);

  const nodes: Child[] = [el('p', { class: 'plain report-facts' }, facts.join(' · '))];
  if (report.complete === false) nodes.push(message('info', 'This run had not finished (or was interrupted): some results may be missing.'));
  if (!results.length) {
    nodes.push(message('info', 'The report has no scenario results yet.'));
    return nodes;
  }

  // The verdict matrix: a scenario per row, a variant per column.
  nodes.push(
    el('h3', {}, 'Verdicts'),
    el('p', { class: 'hint' }, HINTED.map((v) => `${v}: ${VERDICT_MEANING[v]}.`).join(' ')),
    el(
      'div',
      { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Verdict matrix' },
      el(
        'table',
        { class: 'matrix', id: 'verdict-matrix' },
        el('caption', {}, `${count(scenarios.length, 'scenario')} × ${count(variants.length, 'variant')}`),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Scenario'), variants.map((v) => el('th', { scope: 'col' }, v)))),
        el(
          'tbody',
          {},
          scenarios.map((scenario) =>
            el(
              'tr',
              { 'data-scenario': scenario },
              el('th', { scope: 'row' }, el('span', { class: 'scenario-id' }, scenario), titleOf(scenario) ? el('span', { class: 'scenario-title' }, titleOf(scenario)) : null),
              variants.map((variant) => {
                const r = find(scenario, variant);
                if (!r) return el('td', { 'data-variant': variant }, el('span', { class: 'verdict verdict-none' }, 'not run'));
                return el(
                  'td',
                  { 'data-variant': variant, 'data-verdict': r.verdict },
                  el('span', { class: `verdict verdict-${String(r.verdict).toLowerCase()}`, title: VERDICT_MEANING[r.verdict] ?? '' }, r.verdict),
                  el('span', { class: 'reason' }, r.reason),
                );
              }),
            ),
          ),
        ),
      ),
    ),
  );

  /** Per scenario, each evidence table of one kind (by name), with the variants that have it in run order. */
  const tablesOf = <T>(pick: (evidence: Evidence) => T[] | undefined, nameOf: (table: T) => string) =>
    scenarios.flatMap((scenario) => {
      const found = variants.flatMap((variant) => {
        const evidence = find(scenario, variant)?.evidence;
        return (evidence && pick(evidence)) ?? [];
      });
      return unique(found.map(nameOf)).map((name) => ({
        scenario,
        name,
        perVariant: variants.flatMap((variant) => {
          const evidence = find(scenario, variant)?.evidence;
          const table = evidence && pick(evidence)?.find((t) => nameOf(t) === name);
          return table ? [{ variant, table }] : [];
        }),
      }));
    });

  // Query counts as the data grows: one chart per scenario and scaling table.
  const labelOf = (p: { label?: string; size: number }) => p.label || String(p.size);
  const scalingCharts = tablesOf((e) => e.scaling, (s) => s.title).map(({ scenario, name, perVariant }, i) =>
    barChart({
      id: `chart-scaling-${i + 1}`,
      title: `${scenario}: ${name}`,
      unit: 'SQL queries per request',
      groups: unique(perVariant.flatMap((x) => x.table.points.map(labelOf))).map((label) => ({
        label,
        bars: perVariant.flatMap((x) => {
          const point = x.table.points.find((p) => labelOf(p) === label);
          return point ? [{ series: x.variant, value: point.queries }] : [];
        }),
      })),
      series: perVariant.map((x) => x.variant),
      seriesClass: (name) => colourOf(name) ?? 'series-d',
    }),
  );
  if (scalingCharts.length) {
    nodes.push(el('h3', {}, 'Query counts as the data grows'), el('div', { class: 'charts', id: 'scaling-charts' }, scalingCharts));
  }

  // Latency under load: the median round's p50 and p99 per variant.
  const loadCharts = tablesOf((e) => e.load, (l) => l.label)
    .map(({ scenario, name, perVariant }) => ({
      title: `${scenario}: ${name}`,
      groups: perVariant
        .filter((x) => x.table.median)
        .map(({ variant, table: load }) => ({
          label: `${variant}${load.size ? ` (${load.size})` : ''}`,
          bars: [
            { series: 'p50', value: load.median.p50 },
            { series: 'p99', value: load.median.p99 },
          ],
        })),
    }))
    .filter((chart) => chart.groups.length)
    .map((chart, i) =>
      barChart({
        ...chart,
        id: `chart-load-${i + 1}`,
        unit: 'ms latency',
        series: ['p50', 'p99'],
        seriesClass: (name) => PERCENTILE_CLASSES[name] ?? 'series-d',
        format: (v) => (v >= 100 ? String(Math.round(v)) : Number(v).toFixed(1)),
      }),
    );
  if (loadCharts.length) {
    nodes.push(el('h3', {}, 'Latency under load'), el('div', { class: 'charts', id: 'load-charts' }, loadCharts));
  }
  return nodes;
}
