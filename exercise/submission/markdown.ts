// Just enough markdown for SOLUTION.md: headings with the lines under them, bold field labels,
// tables and fenced code, line by line, tolerant of what people type (CRLF, `#` without a space
// before the text is not a heading, labels with the colon inside or outside the bold).

export interface Heading {
  /** 0-based line. */
  line: number;
  level: number;
  text: string;
  /** The line after which the section ends (exclusive): the next heading of the same or a higher level. */
  end: number;
}

export interface Doc {
  lines: string[];
  headings: Heading[];
  /** Lines inside fenced code blocks (figures and labels there are not the write-up's). */
  code: Set<number>;
}

export function parseDoc(text: string): Doc {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const headings: Heading[] = [];
  const code = new Set<number>();
  let fence: string | undefined;
  lines.forEach((line, i) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence) {
      code.add(i);
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      code.add(i);
      return;
    }
    const h = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) headings.push({ line: i, level: h[1]!.length, text: h[2]!, end: lines.length });
  });
  for (const [i, h] of headings.entries()) {
    const next = headings.slice(i + 1).find((o) => o.level <= h.level);
    h.end = next ? next.line : lines.length;
  }
  return { lines, headings, code };
}

/** Lower case, markup and punctuation gone, spaces collapsed: how headings and labels are matched. */
export const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[`*_~]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Words of a text, for telling written content from the template's placeholder. */
export const words = (text: string) => new Set(normalize(text).split(' ').filter(Boolean));

/** A bold label at the start of a list item or line: `- **Root cause:** text`, `**Root cause**: text`. */
export const LABEL = /^\s*(?:[-*+]\s+|\d+[.)]\s+)?\*\*([^*]+?)\*\*\s*:?/;
/** A numbered item whose label ends at its first colon: `1. Duplicate confirmations after the fix: text`. */
export const NUMBERED = /^\s*(\d+)[.)]\s+([^:]+):/;

/** The label of a line that starts a field, normalised, with where its own text begins. */
export function fieldStart(line: string): { label: string; rest: string } | undefined {
  const bold = LABEL.exec(line);
  if (bold) return { label: normalize(bold[1]!.replace(/:\s*$/, '')), rest: line.slice(bold[0].length) };
  const numbered = NUMBERED.exec(line);
  if (numbered) return { label: normalize(`${numbered[1]} ${numbered[2]}`), rest: line.slice(numbered[0].length) };
  return undefined;
}

export const isTableLine = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const isSeparator = (line: string) => /^\s*\|(\s*:?-{1,}:?\s*\|)+\s*$/.test(line);

/** A table's cells, without the outer pipes (escaped pipes kept as text). */
export function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, '|').trim());
}

export interface Table {
  /** 0-based line of the header row. */
  line: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/** Every table between two lines: a header row, a separator, then rows. */
export function tablesIn(doc: Doc, from = 0, to = doc.lines.length): Table[] {
  const out: Table[] = [];
  for (let i = from; i < to - 1; i += 1) {
    if (doc.code.has(i) || !isTableLine(doc.lines[i]!) || !isSeparator(doc.lines[i + 1]!)) continue;
    const table: Table = { line: i, header: cells(doc.lines[i]!), rows: [] };
    let j = i + 2;
    for (; j < to && isTableLine(doc.lines[j]!) && !doc.code.has(j); j += 1) table.rows.push({ line: j, cells: cells(doc.lines[j]!) });
    out.push(table);
    i = j - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing it: the report sections' tables.

/** Inline code, with backticks inside turned into quotes so the span cannot break. */
export const inlineCode = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cellText = (s: string | number | undefined) => (s === undefined || s === '' ? '—' : String(s).replace(/\|/g, '\\|').replace(/\n/g, ' '));
/** A markdown table; an empty cell shows as "—". */
export const markdownTable = (head: string[], rows: (string | number | undefined)[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cellText).join(' | ')} |`)].join('\n');
