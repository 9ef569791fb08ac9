// The Server-Timing header the service writes and every client of it reads: the harness, the
// tests and the web page. Pure (no Node, no DOM), so the page's bundle takes it as it is.

export interface QueryStats {
  queries: number;
  dbMs: number;
}

export function formatServerTiming(stats: QueryStats): string {
  return `db;dur=${stats.dbMs.toFixed(2)};desc="${stats.queries} queries"`;
}

/**
 * Reads the `db` metric of a Server-Timing header, `db;dur=3.42;desc="12 queries"`, wherever it
 * sits among other metrics (a proxy may add its own). undefined when the header has no `db`
 * metric with both numbers, as when the service runs with --no-server-timing.
 */
export function parseServerTiming(header: string | string[] | null | undefined): QueryStats | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return undefined;
  const db = value
    .split(',')
    .map((metric) => metric.trim())
    .find((metric) => /^db(;|$)/.test(metric));
  const dur = db && /;\s*dur=(\d+(?:\.\d+)?)/.exec(db);
  const desc = db && /;\s*desc="?(\d+) quer/.exec(db);
  return dur && desc ? { dbMs: Number(dur[1]), queries: Number(desc[1]) } : undefined;
}
