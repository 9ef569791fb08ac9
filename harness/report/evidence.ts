// The evidence tables of SOLUTION.md, rendered from the committed reference reports, so that no
// figure in the write-up can exist without the report (and the command) that produced it.
import type { LoadMeasurement, RunResult, ScenarioResult } from '../scenario';
import { count, ms, NONE, ratio, rps } from './format';
import { baselinePair } from '../roles';

export interface ReferenceReport {
  /** Path of the JSON, relative to the repository root. */
  path: string;
  run: RunResult;
}

function result(run: RunResult, scenario: string, variant: string): ScenarioResult | undefined {
  return run.results.find((r) => r.scenario === scenario && r.variant === variant);
}

function queryRows(report: ReferenceReport): string[] {
  const { run } = report;
  const [original, reference] = baselinePair() ?? [];
  return run.scenarios.flatMap((scenario) => {
    const broken = original && result(run, scenario, original)?.evidence.scaling[0];
    const fixed = reference && result(run, scenario, reference)?.evidence.scaling[0];
    if (!broken || !fixed) return [];
    return broken.points.map((point, i) => {
      const after = fixed.points[i];
      return `| ${scenario} | ${point.label} | ${count(point.queries)} | ${count(after?.queries)} | ${after ? ratio(point.queries, after.queries) : NONE} |`;
    });
  });
}

function loadRows(report: ReferenceReport): string[] {
  const { run } = report;
  const [original, reference] = baselinePair() ?? [];
  return run.scenarios.flatMap((scenario) => {
    const broken = original && result(run, scenario, original)?.evidence.load[0];
    const fixed: LoadMeasurement | undefined = reference ? result(run, scenario, reference)?.evidence.load[0] : undefined;
    if (!broken || !fixed) return [];
    const b = broken.median;
    const f = fixed.median;
    return [
      `| ${scenario} | ${fixed.size} | ${ms(b.p50)} / ${ms(f.p50)} | ${ms(b.p99)} / ${ms(f.p99)} | ${ratio(b.p99, f.p99)} | ${rps(b.rps)} / ${rps(f.rps)} | ${fixed.floor ? `${ms(fixed.floor.p99)} (${ratio(f.p99, fixed.floor.p99)})` : NONE} |`,
    ];
  });
}

export function renderEvidence(reports: ReferenceReport[]): string {
  const sections = reports.map(({ path, run }) => {
    const h = run.header;
    return [
      `### ${h.databaseVersion}, scale ${h.scale}`,
      '',
      `From [\`${path}\`](${path}) (${h.date.slice(0, 10)}, commit \`${h.commit}\`, ${h.cores} cores), produced by \`${h.command}\`.`,
      '',
      '| scenario | data size | queries broken | queries fixed | broken/fixed |',
      '| --- | --- | --- | --- | --- |',
      ...queryRows({ path, run }),
      '',
      `Load: ${h.connections} connections, medians of 3 rounds of ${h.duration} s, each interleaved with a floor round (\`GET /api/ping\`, one trivial query).`,
      '',
      '| scenario | data size | p50 ms broken / fixed | p99 ms broken / fixed | p99 broken/fixed | req/s broken / fixed | floor p99 ms (fixed/floor) |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...loadRows({ path, run }),
      '',
    ].join('\n');
  });
  return ['', ...sections].join('\n');
}

export const EVIDENCE_START = '<!-- evidence:start -->';
export const EVIDENCE_END = '<!-- evidence:end -->';

/** Replaces what stands between the markers; throws if the document lacks them. */
export function replaceEvidence(document: string, evidence: string): string {
  const start = document.indexOf(EVIDENCE_START);
  const end = document.indexOf(EVIDENCE_END);
  if (start < 0 || end < start) throw new Error(`the document has no ${EVIDENCE_START} … ${EVIDENCE_END} block`);
  return `${document.slice(0, start + EVIDENCE_START.length)}\n${evidence}\n${document.slice(end)}`;
}

export function currentEvidence(document: string): string {
  const start = document.indexOf(EVIDENCE_START);
  const end = document.indexOf(EVIDENCE_END);
  return start < 0 || end < start ? '' : document.slice(start + EVIDENCE_START.length, end).trim();
}
