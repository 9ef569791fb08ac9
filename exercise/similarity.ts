// Code similarity between the submissions of one cohort, and between each and the reference
// answer, for reviewers only. Dolos (@dodona/dolos-lib, Ghent University's plagiarism detector made
// for programming courses) does the matching: it fingerprints the syntax tree's tokens, so renamed
// identifiers, moved whitespace and edited comments do not hide a copy.
//
// Every candidate starts from the same original code, so most of any two submissions is the same:
// that must not count. Dolos' own template mechanism (its CLI's --ignore, the library's ignored
// file) takes the original code as boilerplate: a fingerprint found in it counts for nobody.
//
// Each submission is compared as one text, its files concatenated in path order, rather than file
// by file: a fix moved into a new file (alt-rowlock's inventory.ts, say) or into another file than
// the original's is still compared with the same code elsewhere. Lines are mapped back to
// file:line for the report.
import type { File as DolosFile, Pair } from '@dodona/dolos-lib';
import { join } from 'node:path';
import { APP_VARIANT, buildExport, LAB_ROOT } from './export';
import { readSources } from './submission/sources';
import { labVariant } from '../harness/roles';

/** From this share of their own (non-original) code in common, a pair is shown with its fragments. */
export const SIMILARITY_THRESHOLD = 0.7;
/**
 * Nor below this much code in common (Dolos fingerprints on both sides): two small fixes written
 * the one obvious way are alike by necessity, not by copying.
 */
export const MIN_SHARED_FINGERPRINTS = 20;
/** Fragments shown per flagged pair, the longest first, and lines of code shown per side. */
export const MAX_FRAGMENTS = 5;
export const MAX_FRAGMENT_LINES = 6;
/** The reference answer's name in pairs: not a name a candidate can have (see locateCandidate). */
export const REFERENCE_NAME = 'the reference answer';

/** Only code is compared: package.json and the like are not a fix. */
const CODE = /\.(ts|js|mjs|cjs|mts|cts)$/;

export interface CodeSubmission {
  name: string;
  /** The variant folder as {relativePath: text} (readSources). */
  sources: Record<string, string>;
}

export interface FragmentSide {
  /** "orders.ts:12-17", or "orders.ts:80-summary.ts:3" when it crosses files. */
  where: string;
  /** Up to MAX_FRAGMENT_LINES lines of it. */
  code: string;
}

export interface MatchingFragment {
  /** Dolos fingerprints (k-grams of tokens) in the fragment. */
  fingerprints: number;
  left: FragmentSide;
  right: FragmentSide;
}

export interface PairSimilarity {
  /** By name; the reference answer is always on the right. */
  left: string;
  right: string;
  /** Share of both sides' own code (fingerprints not in the original) that the other has too, 0..1. */
  similarity: number;
  /** Fingerprints of their own each side has in common with the other. */
  shared: { left: number; right: number };
  /** Their own code, in fingerprints: 0 for an untouched copy of the original. */
  own: { left: number; right: number };
  /** The longest run of fingerprints in common. */
  longest: number;
  flagged: boolean;
  /** For a flagged pair: the longest fragments in common (MAX_FRAGMENTS at most). */
  fragments: MatchingFragment[];
  /** Fragments of a flagged pair not shown. */
  moreFragments: number;
}

export interface SimilarityReport {
  tool: string;
  threshold: number;
  minShared: number;
  /** Every pair of candidates and every candidate with the reference, in name order. */
  pairs: PairSimilarity[];
}

/** One submission as a single text, with where each file starts in it. */
interface Concatenated {
  text: string;
  files: { path: string; start: number; lines: string[] }[];
}

function concatenate(sources: Record<string, string>): Concatenated {
  const files: Concatenated['files'] = [];
  let row = 0;
  const parts: string[] = [];
  for (const path of Object.keys(sources).filter((p) => CODE.test(p)).sort()) {
    const lines = sources[path]!.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
    files.push({ path, start: row, lines });
    parts.push(lines.join('\n'));
    row += lines.length;
  }
  return { text: parts.join('\n') + '\n', files };
}

/** A 0-based row of the concatenated text as file and 1-based line. */
function locate(c: Concatenated, row: number): { path: string; line: number; text: string } {
  let file = c.files[0]!;
  for (const f of c.files) if (f.start <= row) file = f;
  const line = row - file.start;
  return { path: file.path, line: line + 1, text: file.lines[line] ?? '' };
}

function side(c: Concatenated, startRow: number, endRow: number): FragmentSide {
  const from = locate(c, startRow);
  const to = locate(c, Math.max(startRow, endRow));
  const where = from.path === to.path ? `${from.path}:${from.line === to.line ? from.line : `${from.line}-${to.line}`}` : `${from.path}:${from.line}-${to.path}:${to.line}`;
  const rows = Math.min(Math.max(startRow, endRow) - startRow + 1, MAX_FRAGMENT_LINES);
  const code = Array.from({ length: rows }, (_, i) => locate(c, startRow + i).text);
  const cut = Math.max(startRow, endRow) - startRow + 1 > MAX_FRAGMENT_LINES ? ['…'] : [];
  return { where, code: [...dedent(code), ...cut].join('\n') };
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

/** Fingerprints of a file that are its own: not in the original code. */
function ownFingerprints(entry: Pair['leftEntry']): number {
  let n = 0;
  for (const shared of entry.shared) n += shared.occurrencesOf(entry.file).length;
  return n;
}

// Dolos is an ES module; this lab runs as CommonJS, where Node 20.19+ can load it (see README).
const loadDolos = () => import('@dodona/dolos-lib');

/**
 * Compares every submission with every other and with the reference, with the original code as
 * Dolos' template. The result depends only on the texts: candidates are taken in name order.
 */
export async function compareSubmissions(submissions: CodeSubmission[], reference: Record<string, string>, original: Record<string, string>): Promise<SimilarityReport> {
  const report: SimilarityReport = { tool: 'Dolos (@dodona/dolos-lib)', threshold: SIMILARITY_THRESHOLD, minShared: MIN_SHARED_FINGERPRINTS, pairs: [] };
  const sorted = [...submissions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const all = [...sorted, { name: REFERENCE_NAME, sources: reference }];
  if (sorted.length === 0) return report;
  const texts = new Map(all.map((s) => [s.name, concatenate(s.sources)]));

  const { Dolos, File } = await loadDolos();
  const files: DolosFile[] = all.map((s) => new File(s.name, texts.get(s.name)!.text));
  const dolos = new Dolos({ language: 'typescript' });
  const analysis = await dolos.analyze(files, 'cohort', new File('original', concatenate(original).text));
  const rank = new Map(all.map((s, i) => [s.name, i]));

  for (const pair of analysis.allPairs()) {
    let [l, r] = [pair.leftEntry, pair.rightEntry];
    let [lCovered, rCovered] = [pair.leftCovered, pair.rightCovered];
    const swapped = rank.get(l.file.path)! > rank.get(r.file.path)!;
    if (swapped) [l, r, lCovered, rCovered] = [r, l, rCovered, lCovered];
    const own = { left: ownFingerprints(l), right: ownFingerprints(r) };
    // Dolos' own Pair.similarity subtracts the left side's template count from both sides (see
    // README): the same formula, with each side's own fingerprints counted.
    const similarity = own.left + own.right > 0 ? (lCovered + rCovered) / (own.left + own.right) : 0;
    const flagged = similarity >= SIMILARITY_THRESHOLD && Math.min(lCovered, rCovered) >= MIN_SHARED_FINGERPRINTS;
    const result: PairSimilarity = {
      left: l.file.path,
      right: r.file.path,
      similarity: Math.round(similarity * 1000) / 1000,
      shared: { left: lCovered, right: rCovered },
      own,
      longest: pair.longest,
      flagged,
      fragments: [],
      moreFragments: 0,
    };
    if (flagged) {
      const fragments = pair
        .buildFragments()
        .map((f) => {
          const [ls, rs] = swapped ? [f.rightSelection, f.leftSelection] : [f.leftSelection, f.rightSelection];
          return {
            fingerprints: f.pairs.length,
            left: side(texts.get(result.left)!, ls.startRow, ls.endRow),
            right: side(texts.get(result.right)!, rs.startRow, rs.endRow),
            at: ls.startRow,
          };
        })
        .sort((a, b) => b.fingerprints - a.fingerprints || a.at - b.at);
      result.fragments = fragments.slice(0, MAX_FRAGMENTS).map(({ at: _at, ...f }) => f);
      result.moreFragments = Math.max(0, fragments.length - MAX_FRAGMENTS);
    }
    report.pairs.push(result);
  }
  report.pairs.sort((a, b) => rank.get(a.left)! - rank.get(b.left)! || rank.get(a.right)! - rank.get(b.right)!);
  return report;
}

/** The original code as candidates get it: the export's variants/app (hint tags stripped). */
export function originalCode(): Record<string, string> {
  const prefix = `variants/${APP_VARIANT}/`;
  const { files } = buildExport({});
  return Object.fromEntries([...files].filter(([path]) => path.startsWith(prefix)).map(([path, text]) => [path.slice(prefix.length), text]));
}

/** The reference answer, from the lab's checkout. */
export function referenceCode(): Record<string, string> {
  return readSources(join(LAB_ROOT, labVariant('reference').path));
}
