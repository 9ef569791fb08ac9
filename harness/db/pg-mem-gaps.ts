// SQL that PostgreSQL runs correctly and pg-mem refuses or answers wrongly. A scenario that fails
// on pg-mem after the code under test used one of these proves nothing about the code: the run
// turns it into INCONCLUSIVE, and the candidate's README lists the same entries.
// Each entry was reproduced on pg-mem 3.0.14, and is recognised as narrowly as the evidence
// allows (pg-mem's own error where it refuses), so that wrong code in ordinary SQL still fails.
import type { Knex } from 'knex';

/** One statement as knex reported it: placeholders are `$1`, `$2`, ... */
export interface Statement {
  sql: string;
  bindings?: readonly unknown[];
  /** pg-mem's message, when the statement failed. */
  error?: string;
}

/** The tables and their columns, to tell a reference pg-mem cannot resolve from a typo. */
export type SchemaColumns = ReadonlyMap<string, ReadonlySet<string>>;

export interface EngineGap {
  id: string;
  /** The SQL feature, as a developer would name it. */
  feature: string;
  /** What pg-mem does with it, in plain words. */
  whatGoesWrong: string;
  issue?: string;
  /**
   * refuses: pg-mem throws, so only a statement that failed with `error` counts.
   * miscomputes: pg-mem answers without an error, so running the SQL is what counts.
   */
  effect: 'refuses' | 'miscomputes';
  sql?: RegExp;
  error?: RegExp;
  /** A further check on the statement, where a pattern alone would excuse too much. */
  also?: (statement: Statement, schema?: SchemaColumns) => boolean;
}

const NUMERIC_TEXT = /^-?\d+(\.\d+)?$/;
const isNumeric = (value: unknown) => typeof value === 'number' || typeof value === 'bigint' || (typeof value === 'string' && NUMERIC_TEXT.test(value));

/** `x - $n` with no cast on the parameter, where the parameter is a number. */
function subtractsUntypedNumber({ sql, bindings = [] }: Statement): boolean {
  for (const match of sql.matchAll(/[\w")\]]\s*-\s*\$(\d+)(?!\d)(?!\s*::)/g)) {
    if (isNumeric(bindings[Number(match[1]) - 1])) return true;
  }
  return false;
}

const MISSING_COLUMN = /column "(\w+)\.(\w+)" does not exist/;

/**
 * pg-mem names the outer query's column as missing. It is a gap only when that alias stands for a
 * table of the statement that really has the column (a typo fails on PostgreSQL too), or for a
 * CTE or a subquery in FROM, whose columns the schema does not list.
 */
function outerColumnExists({ sql, error = '' }: Statement, schema?: SchemaColumns): boolean {
  const [, alias, column] = MISSING_COLUMN.exec(error) ?? [];
  if (!alias || !column) return false;
  if (new RegExp(`\\)\\s+(?:as\\s+)?"?${alias}"?(?!\\w)`, 'i').test(sql)) return true;
  const ctes = new Set([...sql.matchAll(/(?:\bwith(?:\s+recursive)?|,)\s*"?(\w+)"?\s+as\s+(?:(?:not\s+)?materialized\s+)?\(/gi)].map((m) => m[1]!));
  const tables = [...sql.matchAll(/\b(?:from|join)\s+"?(\w+)"?(?:\s+(?:as\s+)?"?(\w+)"?)?/gi)]
    .map(([, table, as]) => ({ table: table!, as: as && !SQL_WORDS.has(as.toLowerCase()) ? as : table! }))
    .filter(({ as }) => as === alias)
    .map(({ table }) => table);
  return tables.some((table) => ctes.has(table) || schema?.get(table)?.has(column) === true);
}

const SQL_WORDS = new Set(['where', 'join', 'left', 'right', 'inner', 'outer', 'full', 'cross', 'natural', 'lateral', 'on', 'using', 'group', 'order', 'limit', 'offset', 'union', 'having', 'window', 'for', 'set', 'returning']);

/** An ORDER BY or LIMIT after the last UNION, outside parentheses: it applies to the whole union. */
function ordersWholeUnion({ sql }: Statement): boolean {
  let flat = sql;
  // Drop parenthesised parts, innermost first, so only the top level is left.
  for (let previous = ''; previous !== flat; ) [previous, flat] = [flat, flat.replace(/\([^()]*\)/g, '')];
  const parts = flat.split(/\bunion\b/i);
  return parts.length > 1 && /\b(order\s+by|limit)\b/i.test(parts[parts.length - 1]!);
}

/** A LIKE whose pattern carries a backslash, as an escaped % or _ does. */
function likeWithBackslash({ sql, bindings = [] }: Statement): boolean {
  const literal = /\bi?like\s+'(?:[^']|'')*\\/i.test(sql);
  const bound = [...sql.matchAll(/\bi?like\s+\$(\d+)/gi)].some((m) => String(bindings[Number(m[1]) - 1] ?? '').includes('\\'));
  return literal || bound;
}

/** PostgreSQL functions pg-mem lacks (round only where PostgreSQL has that signature). */
function missingBuiltIn({ error = '' }: Statement): boolean {
  const [, name, args = ''] = /function (\w+)\(([^)]*)\) does not exist/.exec(error) ?? [];
  if (!name) return /aggregation function (\w+)/.test(error) && BUILT_IN_AGGREGATES.test(error);
  if (name === 'round') return !/^(double precision|real),/.test(args);
  return BUILT_IN_FUNCTIONS.has(name);
}

const BUILT_IN_FUNCTIONS = new Set([
  'round', 'to_char', 'to_date', 'to_timestamp', 'date_part', 'age', 'nullif', 'length', 'char_length', 'position', 'split_part',
  'left', 'right', 'lpad', 'rpad', 'replace', 'regexp_replace', 'initcap', 'trunc', 'ceil', 'floor', 'abs', 'mod', 'div',
  'json_build_object', 'jsonb_build_object', 'json_build_array', 'jsonb_build_array', 'to_json', 'to_jsonb', 'row_to_json',
  'generate_series', 'gen_random_uuid', 'pg_typeof', 'make_interval', 'justify_interval',
]);
const BUILT_IN_AGGREGATES = /aggregation function (string_agg|bool_and|bool_or|every|jsonb_agg|jsonb_object_agg|json_object_agg|percentile_cont|percentile_disc|mode|stddev|variance)\b/;

export const PG_MEM_GAPS: readonly EngineGap[] = [
  {
    id: 'reversed-subtraction',
    feature: '`column - ?` with an untyped parameter, which is what knex `.decrement()` sends',
    whatGoesWrong: 'computes it reversed, as `? - column` (`column - 2` with the column at 5 gives -3); `column - ?::int` is computed right',
    issue: 'pg-mem#482',
    effect: 'miscomputes',
    also: subtractsUntypedNumber,
  },
  {
    id: 'correlated-subquery',
    feature: 'correlated subqueries (a subquery that refers to a column of the outer query)',
    whatGoesWrong: 'fails with `column "…" does not exist` for the outer column',
    issue: 'pg-mem#310, #454',
    effect: 'refuses',
    sql: /\(\s*select\b/i,
    error: MISSING_COLUMN,
    also: (statement, schema) => !/\blateral\b/i.test(statement.sql) && outerColumnExists(statement, schema),
  },
  {
    id: 'lateral',
    feature: '`JOIN LATERAL (…)`',
    whatGoesWrong: 'cannot see the columns of the tables before it and fails with `column "…" does not exist`',
    issue: 'pg-mem#454',
    effect: 'refuses',
    sql: /\blateral\b/i,
    error: MISSING_COLUMN,
    also: outerColumnExists,
  },
  {
    id: 'window-function',
    feature: 'window functions (`… OVER (…)`: `row_number()`, `rank()`, `count(*) OVER ()`, running sums)',
    whatGoesWrong: 'fails: "OVER clause is not implemented"',
    issue: 'pg-mem#190, #198',
    effect: 'refuses',
    // pg-mem runs no statement with OVER, whatever it reports first (beside `alias.*` it says `Unknown alias`).
    sql: /\)\s*over\s*(\(|\w)/i,
    error: /./,
  },
  {
    id: 'date-trunc',
    feature: '`date_trunc(…)`',
    whatGoesWrong: 'fails: the function does not exist',
    effect: 'refuses',
    error: /function date_trunc\([^)]*\) does not exist/,
  },
  {
    id: 'like-escape',
    feature: '`LIKE … ESCAPE …` / `ILIKE … ESCAPE …`',
    whatGoesWrong: 'fails to parse the ESCAPE clause',
    effect: 'refuses',
    sql: /\bi?like\s+(\$\d+|'(?:[^']|'')*')\s+escape\b/i,
    error: /failed to parse/,
  },
  {
    id: 'like-backslash',
    feature: 'a LIKE pattern with a backslash-escaped `%` or `_` (`\\%`, `\\_`)',
    whatGoesWrong: 'treats the backslash as an ordinary character, so an escaped pattern matches nothing',
    issue: 'pg-mem#481',
    effect: 'miscomputes',
    sql: /\bi?like\b/i,
    also: likeWithBackslash,
  },
  {
    id: 'advisory-lock',
    feature: 'advisory locks (`pg_advisory_xact_lock`, `pg_advisory_lock`, ...)',
    whatGoesWrong: 'fails: the functions do not exist',
    effect: 'refuses',
    error: /function pg_(try_)?advisory_\w+\([^)]*\) does not exist/,
  },
  {
    id: 'locking-clause',
    feature: '`FOR UPDATE OF …`, `SKIP LOCKED`, `NOWAIT` (a plain `FOR UPDATE` is accepted)',
    whatGoesWrong: 'fails to parse them or rejects them as not supported',
    issue: 'pg-mem#117',
    effect: 'refuses',
    sql: /\bfor\s+(no\s+key\s+)?(update|share)\b[\s\S]*\b(of|skip\s+locked|nowait)\b/i,
    error: /failed to parse|Not supported/,
  },
  {
    id: 'set-transaction',
    feature: '`SET TRANSACTION ISOLATION LEVEL …` and `START TRANSACTION …` (knex\'s `isolationLevel` option is accepted)',
    whatGoesWrong: 'fails to parse them (and SERIALIZABLE never raises a serialization failure: transactions run one at a time)',
    effect: 'refuses',
    sql: /^\s*(set\s+(session\s+characteristics\s+as\s+)?transaction|start\s+transaction)\b/i,
    error: /failed to parse/,
  },
  {
    id: 'filter-clause',
    feature: 'aggregate `FILTER (WHERE …)`',
    whatGoesWrong: 'ignores the FILTER, so each filtered aggregate is computed over every row',
    effect: 'miscomputes',
    sql: /\)\s*filter\s*\(\s*where\b/i,
  },
  {
    id: 'having',
    feature: '`HAVING`',
    whatGoesWrong: 'rejects it as not supported',
    issue: 'pg-mem#293',
    effect: 'refuses',
    error: /\.having\b/,
  },
  {
    id: 'group-by-position',
    feature: '`GROUP BY 1` / `ORDER BY 2` (column positions)',
    whatGoesWrong: 'crashes with `Cannot read properties of null`',
    effect: 'refuses',
    sql: /\b(group|order)\s+by\s+\d/i,
    error: /Cannot read properties of null/,
  },
  {
    id: 'union-order-limit',
    feature: '`… UNION … ORDER BY … LIMIT …`',
    whatGoesWrong: 'ignores the ORDER BY and LIMIT of the union and returns every row',
    effect: 'miscomputes',
    sql: /\bunion\b/i,
    also: ordersWholeUnion,
  },
  {
    id: 'missing-function',
    feature: 'common functions and aggregates: `round(x, n)`, `to_char`, `nullif`, `json_build_object`, `generate_series`, `gen_random_uuid`, `string_agg`, ...',
    whatGoesWrong: 'fails: the function does not exist',
    effect: 'refuses',
    error: /does not exist|aggregation function/,
    also: missingBuiltIn,
  },
  {
    id: 'any-array',
    feature: '`= ANY(?)` with an array parameter',
    whatGoesWrong: 'fails with `cannot cast type text to integer` (knex `whereIn` works)',
    effect: 'refuses',
    sql: /=\s*any\s*\(\s*\$\d+/i,
    error: /cannot cast type/,
  },
  {
    id: 'time-arithmetic',
    feature: '`timestamp - timestamp`, `? * interval …`',
    whatGoesWrong: 'fails with `operator does not exist`',
    effect: 'refuses',
    error: /operator does not exist: (text \* interval|interval \* text|timestamp( with(out)? time zone)? - timestamp|date - date)/,
  },
  {
    id: 'current-date',
    feature: '`current_date`',
    whatGoesWrong: 'returns the current timestamp, not the date at midnight',
    effect: 'miscomputes',
    sql: /\bcurrent_date\b/i,
  },
  {
    id: 'conflict-do-nothing-returning',
    feature: '`ON CONFLICT DO NOTHING RETURNING …` (knex `.onConflict().ignore().returning()`)',
    whatGoesWrong: 'returns the existing row instead of no row',
    effect: 'miscomputes',
    sql: /\bon\s+conflict\b[\s\S]*\bdo\s+nothing\b[\s\S]*\breturning\b/i,
  },
  {
    id: 'one-connection',
    feature: 'a query outside an open transaction (on `knex` instead of the transaction\'s `trx`)',
    whatGoesWrong: 'has one connection, held by the transaction, so the query waits for it until the pool gives up (PostgreSQL runs it on a second connection)',
    effect: 'refuses',
    error: /Timeout acquiring a connection/,
  },
  {
    id: 'constraint-error-code',
    feature: 'the SQLSTATE of a foreign-key, not-null or check violation (`23503`, `23502`, `23514`)',
    whatGoesWrong: 'throws the error without a `code`, so code that maps the code to an HTTP status sees an unknown error',
    effect: 'refuses',
    error: /violates foreign key constraint|violates not-null constraint|check constraint .* is violated/,
  },
  {
    id: 'update-from-alias',
    feature: '`UPDATE table alias SET … FROM …`',
    whatGoesWrong: 'fails with `Unknown alias`',
    effect: 'refuses',
    sql: /^\s*update\s+"?\w+"?\s+(as\s+)?"?\w+"?\s+set\b[\s\S]*\bfrom\b/i,
    error: /Unknown alias/,
  },
];

/** The gaps one statement ran into. */
export function gapsIn(statement: Statement, schema?: SchemaColumns, gaps: readonly EngineGap[] = PG_MEM_GAPS): EngineGap[] {
  return gaps.filter((gap) => {
    const failed = statement.error !== undefined;
    if (gap.effect === 'refuses' ? !failed || !gap.error?.test(statement.error!) : failed) return false;
    if (gap.sql && !gap.sql.test(statement.sql)) return false;
    return gap.also ? gap.also(statement, schema) : true;
  });
}

/** What the service process reports: each gap hit, how often, and one statement that hit it. */
export interface GapHit {
  id: string;
  statements: number;
  example: string;
}

/** pg-mem's LIKE gaps: an escaped pattern matches fewer rows, or is refused; never more rows. */
export const LIKE_GAPS = ['like-backslash', 'like-escape'] as const;

export function gapById(id: string): EngineGap | undefined {
  return PG_MEM_GAPS.find((gap) => gap.id === id);
}

/** One line per gap, for a verdict's reason: "correlated subqueries (…): pg-mem fails with …". */
export function describeHits(hits: readonly GapHit[]): string {
  return hits
    .map((hit) => {
      const gap = gapById(hit.id);
      return gap ? `${gap.feature}: pg-mem ${gap.whatGoesWrong}${gap.issue ? ` (${gap.issue})` : ''}` : hit.id;
    })
    .join('; ');
}

/** The list in the candidate's README: one bullet per gap. */
export function gapsMarkdownList(gaps: readonly EngineGap[] = PG_MEM_GAPS): string {
  return gaps.map((gap) => `  - ${gap.feature}: pg-mem ${gap.whatGoesWrong}${gap.effect === 'miscomputes' ? ' (**no error, a wrong answer**)' : ''}.`).join('\n');
}

/**
 * Watches every statement on `knex` and keeps the gaps hit. `ignore()` is true while the statement
 * is the harness's own (bulk loads, snapshots): only the code under test counts.
 */
export async function recordGaps(knex: Knex, ignore: () => boolean): Promise<{ hits(): GapHit[]; noteRouteError(error: Error): void }> {
  const rows: { table_name: string; column_name: string }[] = await knex('information_schema.columns').select('table_name', 'column_name');
  const schema = new Map<string, Set<string>>();
  for (const { table_name, column_name } of rows) schema.set(table_name, (schema.get(table_name) ?? new Set()).add(column_name));

  const hits = new Map<string, GapHit>();
  const note = (statement: Statement) => {
    if (ignore()) return;
    for (const gap of gapsIn(statement, schema)) {
      const hit = hits.get(gap.id) ?? { id: gap.id, statements: 0, example: statement.sql.slice(0, 300) };
      hit.statements += 1;
      hits.set(gap.id, hit);
    }
  };
  // On the answer, not on sending: a statement that then failed computed nothing wrong.
  knex.on('query-response', (_response: unknown, query: { sql: string; bindings?: unknown[] }) => note({ sql: query.sql, bindings: query.bindings }));
  knex.on('query-error', (error: Error, query: { sql: string; bindings?: unknown[] }) =>
    note({ sql: query.sql, bindings: query.bindings, error: error?.message ?? String(error) }),
  );
  return {
    hits: () => [...hits.values()],
    // A pool timeout fails the route without any statement failing, so no query event shows it.
    noteRouteError: (error) => {
      if (error?.name === 'KnexTimeoutError') note({ sql: '(a query waiting for a connection)', error: error.message });
    },
  };
}
