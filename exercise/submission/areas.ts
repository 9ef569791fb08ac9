// Which area (public scenario) each line of the exported original code belongs to, so that a
// changed line can be credited to the incident it fixes. The lab's original code tags the line
// where each bug starts (`// exposed-by: <scenario>`); the export strips the tags. A tagged line
// belongs to its area, and so does the rest of the innermost function that holds the tag (the
// nearest tag's area when it holds several); every other line belongs to no area.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from 'diff';
import ts from 'typescript';
import { LAB_ROOT } from '../export';
import { APP_PREFIX, normalizeText } from './baseline';
import { labVariant } from '../../harness/roles';

const TAG_LINE = /^[ \t]*\/\/ *exposed-by: *([\w-]+)[ \t]*$/;
const TAG_TAIL = /[ \t]*\/\/ *exposed-by: *([\w-]+)[ \t]*$/;

/** The text without hint tags, and the area each tag names by its 0-based line in that text. */
export function stripTags(text: string): { text: string; tags: Map<number, string> } {
  const out: string[] = [];
  const tags = new Map<number, string>();
  let pending: string | undefined;
  for (const raw of normalizeText(text).split('\n')) {
    const whole = TAG_LINE.exec(raw);
    if (whole) {
      // A tag on a line of its own names the line after it.
      pending ??= whole[1];
      continue;
    }
    const tail = TAG_TAIL.exec(raw);
    const line = tail ? raw.slice(0, tail.index) : raw;
    const area = tail?.[1] ?? pending;
    if (area) tags.set(out.length, area);
    pending = undefined;
    out.push(line);
  }
  return { text: out.join('\n'), tags };
}

/** For each line of `from`, its line in `to` when the two texts share it (0-based). */
function lineMap(from: string, to: string): Map<number, number> {
  const map = new Map<number, number>();
  let a = 0;
  let b = 0;
  for (const part of diffLines(from, to)) {
    const count = part.count ?? 0;
    if (part.added) b += count;
    else if (part.removed) a += count;
    else for (let i = 0; i < count; i += 1) map.set(a++, b++);
  }
  return map;
}

/** Line ranges (0-based, inclusive) of every function with a body spanning more than one line. */
function functionRanges(text: string): { start: number; end: number }[] {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const ranges: { start: number; end: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end > start) ranges.push({ start, end });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return ranges;
}

/** Areas by line of one exported file, given its tags in the exported text's lines. */
export function areasByLine(text: string, tags: Map<number, string>): (string | undefined)[] {
  const lines: (string | undefined)[] = text.split('\n').map(() => undefined);
  const holders = new Map<string, { start: number; end: number; tags: number[] }>();
  const ranges = functionRanges(text);
  for (const line of tags.keys()) {
    const innermost = ranges.filter((r) => r.start <= line && line <= r.end).sort((x, y) => x.end - x.start - (y.end - y.start))[0];
    if (!innermost) continue;
    const key = `${innermost.start}:${innermost.end}`;
    const holder = holders.get(key) ?? { ...innermost, tags: [] };
    holder.tags.push(line);
    holders.set(key, holder);
  }
  // Outer functions first, so that a tag-holding function inside another one keeps its own lines.
  for (const holder of [...holders.values()].sort((x, y) => y.end - y.start - (x.end - x.start))) {
    for (let line = holder.start; line <= holder.end; line += 1) {
      const nearest = holder.tags.reduce((best, tag) => (Math.abs(tag - line) < Math.abs(best - line) ? tag : best));
      lines[line] = tags.get(nearest);
    }
  }
  for (const [line, area] of tags) lines[line] = area;
  return lines;
}

const cache = new Map<string, Map<string, (string | undefined)[]>>();

/**
 * Areas by line for every exported app file (keyed by its export path), from the lab's tagged
 * original: its tags are carried over to the exported text through the lines the two share.
 */
export function exportedAreas(files: Map<string, string>): Map<string, (string | undefined)[]> {
  const key = [...files].filter(([path]) => path.startsWith(APP_PREFIX)).map(([path, text]) => `${path}\0${text}`).join('\0');
  const known = cache.get(key);
  if (known) return known;
  const out = new Map<string, (string | undefined)[]>();
  for (const [path, exported] of files) {
    if (!path.startsWith(APP_PREFIX)) continue;
    let tagged: string;
    try {
      tagged = readFileSync(join(LAB_ROOT, labVariant('original').path, path.slice(APP_PREFIX.length)), 'utf8');
    } catch {
      continue;
    }
    const stripped = stripTags(tagged);
    const text = normalizeText(exported);
    const map = lineMap(stripped.text, text);
    const tags = new Map<number, string>();
    for (const [line, area] of stripped.tags) {
      const to = map.get(line);
      if (to !== undefined) tags.set(to, area);
    }
    out.set(path, areasByLine(text, tags));
  }
  cache.clear();
  cache.set(key, out);
  return out;
}
