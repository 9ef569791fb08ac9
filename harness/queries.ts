// Attributes every SQL statement to the HTTP request that issued it (AsyncLocalStorage over
// knex's query events), and turns SQL into shapes so that an N+1 shows up as one shape run N times.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Knex } from 'knex';
import type { QueryMeter, QueryStats } from '../service/plugins/server-timing';
import type { ShapeCount } from '../service/shared/report';

interface RequestLog extends QueryStats {
  sql: string[];
}

export interface RecordedRequest {
  requestId: string;
  queries: number;
  dbMs: number;
  sql: string[];
}

/** How many finished requests keep their SQL for the harness to ask about. */
const KEPT_REQUESTS = 500;
/** Statements kept per request: enough to show an N+1's shape, bounded under load. */
const KEPT_STATEMENTS = 2_000;

export function createQueryMeter(knex: Knex): QueryMeter & { recorded(requestId: string): RecordedRequest | undefined } {
  const storage = new AsyncLocalStorage<RequestLog>();
  const open = new Map<string, RequestLog>();
  const finished = new Map<string, RecordedRequest>();
  const started = new Map<string, { log: RequestLog; at: number }>();

  knex.on('query', (query: { __knexQueryUid: string; sql: string }) => {
    const log = storage.getStore();
    if (!log) return;
    log.queries += 1;
    if (log.sql.length < KEPT_STATEMENTS) log.sql.push(query.sql);
    started.set(query.__knexQueryUid, { log, at: performance.now() });
  });
  const settle = (_response: unknown, query: { __knexQueryUid: string }) => {
    const entry = started.get(query.__knexQueryUid);
    if (!entry) return;
    started.delete(query.__knexQueryUid);
    entry.log.dbMs += performance.now() - entry.at;
  };
  knex.on('query-response', settle);
  knex.on('query-error', (_error: unknown, query: { __knexQueryUid: string }) => settle(undefined, query));

  return {
    run(requestId, next) {
      const log: RequestLog = { queries: 0, dbMs: 0, sql: [] };
      open.set(requestId, log);
      storage.run(log, next);
    },
    finish(requestId) {
      const log = open.get(requestId);
      open.delete(requestId);
      if (!log) return { queries: 0, dbMs: 0 };
      finished.set(requestId, { requestId, queries: log.queries, dbMs: log.dbMs, sql: log.sql });
      if (finished.size > KEPT_REQUESTS) finished.delete(finished.keys().next().value as string);
      return { queries: log.queries, dbMs: log.dbMs };
    },
    recorded: (requestId) => finished.get(requestId),
  };
}

/** `select * from "orders" where "id" = $1` and `... = 42` are the same shape. */
export function sqlShape(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\(\s*\?(\s*,\s*\?)*\s*\)/g, '(?…)')
    .trim();
}

export type { ShapeCount };

/** Shapes by how often they ran, most frequent first. */
export function countShapes(statements: string[]): ShapeCount[] {
  const counts = new Map<string, number>();
  for (const sql of statements) {
    const shape = sqlShape(sql);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([shape, count]) => ({ shape, count }))
    .sort((a, b) => b.count - a.count || a.shape.localeCompare(b.shape));
}

// The service writes Server-Timing and every client reads it with the same parser as the web page.
export { parseServerTiming } from '../service/shared/server-timing';
