// One request measured at three data sizes: how its query count grows is the N+1 evidence.
import type { Evidence, HttpResponse, Scaling, ScenarioContext } from '../scenario';

/**
 * "grows" when the largest size costs at least 1.5x the queries of the smallest and at least one
 * more query per ten units of data: an N+1 adds one or more per unit, while chunked bulk writes
 * (a query per 500 rows) do not count as growing with N.
 */
export function classifyGrowth(points: { size: number; queries: number }[]): Scaling['growth'] {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last || last.size === first.size) return 'constant';
  const perUnit = (last.queries - first.queries) / (last.size - first.size);
  return last.queries >= Math.max(first.queries * 1.5, first.queries + 2) && perUnit >= 0.1 ? 'grows' : 'constant';
}

export function scalingPart(evidence: Pick<Evidence, 'scaling'>, sizes: readonly number[]): ScenarioContext['scaling'] {
  return async (title, measure: (size: number) => Promise<HttpResponse>, unit = 'customers', ladder = sizes) => {
    const points = [];
    for (const size of ladder) {
      const response = await measure(size);
      if (response.queries === undefined) throw new Error(`${title}: the response carries no Server-Timing header`);
      points.push({ size, label: `${size} ${unit}`, queries: response.queries, ms: response.ms });
    }
    const scaling: Scaling = { title, points, growth: classifyGrowth(points) };
    evidence.scaling.push(scaling);
    return scaling;
  };
}
