// The figures a SOLUTION.md quotes that a review also measures: query counts and milliseconds, in
// prose ("31 queries", "p50 8ms", "queries: 31 → 3", "from 120 ms to 12 ms"), in bullet lists and
// in tables (the template's before/after tables, or any table with a queries or ms column or row).
// Each is tied to a scenario (named on its line, by id, request path or a word such as "summary",
// or in its table, else by the section it is in)
// and to before or after (by its column, row, arrow or the nearest word).
import { FEATURE_OPTIONS, PARTS, SCENARIO_EVIDENCE, type Assignment, type PartId } from '../parts';
import { normalize, tablesIn, type Doc, type Table } from './markdown';

export interface Figure {
  /** 0-based line. */
  line: number;
  quote: string;
  scenario?: string;
  kind: 'queries' | 'ms';
  role: 'before' | 'after' | 'either';
  values: number[];
  /** Per value: the statistic it names, when it names one (`time`: the scaling table's request time). */
  stats: ('p50' | 'p99' | 'time' | undefined)[];
}

export interface FigureContext {
  assignment: Pick<Assignment, 'parts' | 'features' | 'chosen'>;
  partTitles: Record<PartId, string>;
}

const IDS = Object.keys(SCENARIO_EVIDENCE);
/** A number standing alone: not the 50 of "p50", the 1 of "N+1" or the 2 of "v2". */
const NUMBER = String.raw`(?<![\w.+])\d+(?:,\d{3})*(?:\.\d+)?`;
const UNIT = String.raw`ms|milliseconds?|s|secs?|seconds?|quer(?:y|ies)`;
const toNumber = (text: string) => Number(text.replace(/,/g, ''));
const kindOf = (unit: string): Figure['kind'] => (/^quer/i.test(unit) ? 'queries' : 'ms');
/** Seconds are quoted as milliseconds, the review's unit. */
const scale = (unit: string, value: number) => (/^(s|secs?|seconds?)$/i.test(unit) ? value * 1000 : value);

const BEFORE = /\b(before|originally|original|was|old)\b/gi;
const AFTER = /\b(after|now|new|with the fix|fixed|mine)\b/gi;

/** Before or after, by the last such word before a position on the line. */
function roleBefore(text: string): Figure['role'] {
  const last = (re: RegExp) => Math.max(-1, ...[...text.matchAll(re)].map((m) => m.index!));
  const b = last(BEFORE);
  const a = last(AFTER);
  return b === a ? 'either' : b > a ? 'before' : 'after';
}

/** p50 or p99 named just before a number ("p50 8ms", "p99: 40 ms"). */
function statBefore(text: string): Figure['stats'][number] {
  const m = /\b(p50|p99|median)\b[^\d]{0,12}$/i.exec(text);
  if (!m) return undefined;
  return m[1]!.toLowerCase() === 'p99' ? 'p99' : 'p50';
}

/** The unit a bare arrow pair is in, from the words before it ("queries: 31 → 3", "p50 120 -> 12"); 'queries' or 'ms'. */
function unitBefore(text: string): string | undefined {
  const m = [...text.matchAll(/\b(quer(?:y|ies)|ms|latency|p50|p99)\b/gi)].at(-1);
  if (!m) return undefined;
  return /^quer/i.test(m[1]!) ? 'queries' : 'ms';
}

/** Scenario ids named on a line, in order. */
const idsIn = (text: string) => IDS.filter((id) => new RegExp(`(^|[^a-z0-9-])${id}([^a-z0-9-]|$)`).test(text)).sort((a, b) => text.indexOf(a) - text.indexOf(b));

/** The scenario a request path on the line belongs to ("/api/orders/summary" -> summary-n-plus-one); the longest path wins. */
function idByRequest(text: string): string | undefined {
  let best: { id: string; length: number } | undefined;
  for (const [id, evidence] of Object.entries(SCENARIO_EVIDENCE)) {
    const path = evidence.request?.split(' ')[1]?.split('?')[0]?.split('/:')[0];
    if (path && text.includes(path) && (!best || path.length > best.length)) best = { id, length: path.length };
  }
  return best?.id;
}

/**
 * The word prose uses for a measured scenario that shares its part with another measured one
 * (Part C's two tables sit under one heading): "the summary" and "the seed" say which is meant.
 */
const ALIASES: Record<string, RegExp> = {
  'summary-n-plus-one': /\bsummary\b|\btop[- ]customers\b/i,
  'seed-bulk': /\bseed(?:s|ed|ing)?\b/i,
  'analytics-load': /\banalytics\b/i,
};

/** The one scenario the line's words name, when exactly one does. */
function idByAlias(text: string): string | undefined {
  const named = Object.keys(ALIASES).filter((id) => ALIASES[id]!.test(text));
  return named.length === 1 ? named[0] : undefined;
}

/** Figures in one line of prose or one table cell. */
export function figuresInText(text: string): Omit<Figure, 'line' | 'scenario'>[] {
  const out: Omit<Figure, 'line' | 'scenario'>[] = [];
  const taken: [number, number][] = [];
  const free = (start: number, end: number) => taken.every(([a, b]) => end <= a || start >= b);
  // Pairs first: "31 → 3 queries", "queries: 31 -> 3", "from 120 ms to 12 ms".
  const pair = new RegExp(String.raw`(${NUMBER})\s*(${UNIT})?\s*(?:→|->|=>|⟶|⇒|\bto\b)\s*(${NUMBER})\s*(${UNIT})?\b`, 'gi');
  for (const m of text.matchAll(pair)) {
    const prefix = text.slice(0, m.index);
    const unit = m[4] ?? m[2] ?? unitBefore(prefix);
    if (!unit) continue;
    const kind = kindOf(unit);
    // Each side in its own unit when it names one ("from 1.2 s to 300 ms"), else in the pair's.
    const side = (own?: string) => (own && kindOf(own) === kind ? own : unit);
    const stat = statBefore(prefix);
    const before = { values: [scale(side(m[2]), toNumber(m[1]!))], stats: [stat] };
    const after = { values: [scale(side(m[4]), toNumber(m[3]!))], stats: [stat] };
    out.push({ quote: m[0].trim(), kind, role: 'before', ...before }, { quote: m[0].trim(), kind, role: 'after', ...after });
    taken.push([m.index!, m.index! + m[0].length]);
  }
  // Then single figures, or a run of them by size: "8 / 23 / 63 queries", "12 ms", "p50 8ms".
  const single = new RegExp(String.raw`((?:${NUMBER}\s*/\s*)*${NUMBER})\s*(${UNIT})\b`, 'gi');
  for (const m of text.matchAll(single)) {
    if (!free(m.index!, m.index! + m[0].length)) continue;
    const prefix = text.slice(0, m.index);
    const values = m[1]!.split('/').map((v) => scale(m[2]!, toNumber(v.trim())));
    out.push({ quote: m[0].trim(), kind: kindOf(m[2]!), role: roleBefore(prefix), values, stats: values.map(() => statBefore(prefix)) });
    taken.push([m.index!, m.index! + m[0].length]);
  }
  // "queries: 3", "query count = 12".
  const labelled = new RegExp(String.raw`\bquer(?:y|ies)(?:\s+count)?\s*[:=]\s*(${NUMBER})\b`, 'gi');
  for (const m of text.matchAll(labelled)) {
    if (!free(m.index!, m.index! + m[0].length)) continue;
    out.push({ quote: m[0].trim(), kind: 'queries', role: roleBefore(text.slice(0, m.index)), values: [toNumber(m[1]!)], stats: [undefined] });
  }
  return out;
}

/** Numbers that count something else than queries or time ("30 customers", "10x", "50%"). */
const NOT_MEASURES = new RegExp(String.raw`${NUMBER}\s*(?:customers?|orders?|items?|products?|rows?|x\b|×|%|req/s|rps|processes|trials?|connections?)`, 'gi');

/**
 * The unit a row or column label gives its cells. Words in parentheses are a note about the row
 * ("(this scenario measures no query counts or latency)"), unless the label is nothing else ("(ms)").
 */
const unitOfLabel = (text: string): Figure['kind'] | undefined => {
  const outside = text.replace(/\([^)]*\)/g, ' ');
  const n = normalize(normalize(outside) ? outside : text);
  if (/\bquer(y|ies)\b/.test(n)) return 'queries';
  if (/\b(ms|p50|p99|latency|time|milliseconds)\b/.test(n)) return 'ms';
  return undefined;
};
const roleOfLabel = (text: string): Figure['role'] | undefined => {
  const n = normalize(text).split(' ');
  if (n.includes('before') || n.includes('original')) return 'before';
  if (n.includes('after') || n.includes('now')) return 'after';
  return undefined;
};

/** A row label shortened so that a quote keeps its figures in view ("Queries for one 'GET /api/orders/summ…"). */
const short = (label: string, max = 40) => {
  const text = label.replace(/`/g, "'");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

function figuresInTable(table: Table): (Omit<Figure, 'scenario'> & { id?: string })[] {
  const out: (Omit<Figure, 'scenario'> & { id?: string })[] = [];
  const tableId = table.header.map((c) => idsIn(c)[0]).find(Boolean);
  for (const row of table.rows) {
    const label = row.cells[0] ?? '';
    const rowKind = unitOfLabel(label);
    const rowRole = roleOfLabel(label);
    const rowId = idsIn(label)[0];
    const n = normalize(label);
    const bothStats = /\bp50\b.*\bp99\b/.test(n);
    const rowStat: Figure['stats'][number] = /\btime\b/.test(n) ? 'time' : /\bp99\b/.test(n) && !bothStats ? 'p99' : /\bp50\b/.test(n) && !bothStats ? 'p50' : undefined;
    for (let j = 1; j < row.cells.length; j += 1) {
      const text = row.cells[j]!;
      if (!text) continue;
      const column = table.header[j] ?? '';
      const role = roleOfLabel(column) ?? rowRole ?? 'either';
      const kind = rowKind ?? unitOfLabel(column);
      const id = rowId ?? tableId;
      if (!kind) {
        // No unit from the row or column: the cell may name its own ("31 queries").
        for (const f of figuresInText(text)) out.push({ ...f, line: row.line, quote: `${short(label)}: ${f.quote}`, role: f.role === 'either' ? role : f.role, id });
        continue;
      }
      const numbers = [...text.replace(NOT_MEASURES, ' ').matchAll(new RegExp(String.raw`(${NUMBER})\s*(${UNIT})?`, 'gi'))];
      if (numbers.length === 0) continue;
      const values = numbers.map((m) => (m[2] ? scale(m[2], toNumber(m[1]!)) : toNumber(m[1]!)));
      const stats = values.map((_, i) => (bothStats ? (i === 0 ? 'p50' : i === 1 ? 'p99' : undefined) : rowStat ?? statBefore(text.slice(0, numbers[i]!.index))));
      out.push({ line: row.line, quote: `${short(label)} (${column || 'value'}): ${text}`, kind, role, values, stats, ...(id ? { id } : {}) });
    }
  }
  return out;
}

/** The scenario a line belongs to by where it is: the innermost heading naming one, else its part when that leaves one candidate. */
function sectionScenario(doc: Doc, line: number, kind: Figure['kind'], context: FigureContext): string | undefined {
  const around = doc.headings.filter((h) => h.line <= line && line < h.end).sort((a, b) => b.level - a.level);
  for (const heading of around) {
    const id = idsIn(heading.text)[0];
    if (id) return id;
  }
  for (const heading of around) {
    const part = PARTS.find((p) => context.assignment.parts.includes(p.id) && normalize(heading.text).includes(normalize(p.name)));
    if (!part) continue;
    const offered = part.id === 'feature' ? (context.assignment.chosen ? [context.assignment.chosen] : context.assignment.features.filter((f) => (FEATURE_OPTIONS as readonly string[]).includes(f))) : [...part.scenarios];
    const measuring = offered.filter((id) => (kind === 'queries' ? SCENARIO_EVIDENCE[id]?.kinds.includes('scaling') : SCENARIO_EVIDENCE[id]?.kinds.some((k) => k === 'scaling' || k === 'load')));
    return measuring.length === 1 ? measuring[0] : undefined;
  }
  return undefined;
}

export function extractFigures(doc: Doc, context: FigureContext): Figure[] {
  const out: Figure[] = [];
  const tables = tablesIn(doc);
  const inTable = new Set(tables.flatMap((t) => [t.line, t.line + 1, ...t.rows.map((r) => r.line)]));
  for (const table of tables) {
    for (const { id, ...f } of figuresInTable(table)) out.push({ ...f, ...((id ?? sectionScenario(doc, f.line, f.kind, context)) ? { scenario: id ?? sectionScenario(doc, f.line, f.kind, context) } : {}) });
  }
  doc.lines.forEach((text, line) => {
    if (doc.code.has(line) || inTable.has(line) || /^\s{0,3}#/.test(text)) return;
    for (const f of figuresInText(text)) {
      const named = idsIn(text.slice(0, text.indexOf(f.quote) + f.quote.length));
      const id = named.at(-1) ?? idsIn(text)[0] ?? idByRequest(text) ?? idByAlias(text) ?? sectionScenario(doc, line, f.kind, context);
      out.push({ ...f, line, ...(id ? { scenario: id } : {}) });
    }
  });
  return out.sort((a, b) => a.line - b.line);
}
