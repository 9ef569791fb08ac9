// The size of the candidate's change, per area, beside the reference's own change. The exercise
// asks for "the smallest change that is safe; no rewrite": this says how big it was and where,
// without judging it. The candidate's variants/ folder is compared with the export of their
// assignment (the original code, hints stripped), line by line with jsdiff; each changed line is
// credited to the area whose tagged function holds it (see areas.ts), 'other' when none does. The
// reference's change is the same measurement of the lab's variants/fixed against the same export.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { diffLines } from 'diff';
import { count, percent } from '../../harness/report/format';
import { LAB_ROOT } from '../export';
import { assignedScenarios } from '../parts';
import type { RubricAudience } from '../rubric';
import { exportedAreas, stripTags } from './areas';
import { SHIPPED_FILE } from '../shipped';
import { APP_PREFIX, baselineFor, normalizeText } from './baseline';
import type { SubmissionInput } from './index';
import { inlineCode, markdownTable } from './markdown';
import { walkTree } from '../../harness/files';
import { labVariant } from '../../harness/roles';

export interface AreaChange {
  /** Public scenario id, or 'other' for lines no area claims. */
  area: string;
  candidate: { files: number; added: number; removed: number };
  reference: { files: number; added: number; removed: number };
  /** Whether the candidate's assignment asks for this area ('other' counts as assigned). */
  assigned: boolean;
}

export interface FileChange {
  /** Relative to the variant folder (`../shared/rows.ts` for a file beside it). */
  file: string;
  /** As the export names it, e.g. `variants/app/orders.ts`. */
  path: string;
  status: 'added' | 'removed' | 'modified';
  added: number;
  removed: number;
  /**
   * Share of the original file's code lines removed or replaced (1 for a removed file, 0 for an
   * added one). Blank lines and lines of bare punctuation (`}`, `);`) count for neither side: a new
   * implementation that happens to close its blocks the same way keeps none of the original.
   */
  replaced: number;
  /** Most of the original file's code replaced (REWRITE_SHARE, REWRITE_MIN_LINES). */
  rewrite: boolean;
  /** The reference's own share of this file replaced, for the reviewer (absent when it leaves the file alone). */
  referenceReplaced?: number;
}

export interface ChangeSize {
  /** 'repository': the whole returned repository was compared; 'variant folder': only the folder was sent. */
  compared: 'repository' | 'variant folder';
  files: FileChange[];
  added: number;
  removed: number;
  areas: AreaChange[];
  /**
   * The reference's own change in the areas assigned, for the reviewer, and in code no area claims
   * (`other`); `replaced`: its share of the whole original code's lines (every area).
   */
  reference: { files: number; added: number; removed: number; replaced: number; other: { added: number; removed: number } };
  /** Files changed outside variants/ (which the review does not run), relative to the repository. */
  outside: string[];
  /** Test files added or changed (test/), relative to the repository. */
  tests: string[];
  /** SOLUTION.md as returned: edited, as exported, or missing. */
  writeUp: 'edited' | 'as exported' | 'missing' | 'not sent';
  /** Plain-words flags, e.g. "orders.ts was rewritten (92% of its lines replaced)"; they never quote the reference. */
  flags: string[];
  /** The candidate's share of the original code's lines (variants/app) removed or replaced. */
  replaced: number;
  /** What the comparison could not do, in words. */
  notes: string[];
}

/** A file counts as rewritten when at least this share of its original code lines is removed or replaced. */
export const REWRITE_SHARE = 0.6;
/** ...and at least this many code lines: replacing 4 lines of a 6-line file is an edit, not a rewrite. */
export const REWRITE_MIN_LINES = 5;

/** Left out of the comparison outside variants/: generated reports, and the lockfile npm rewrites with the npm version. */
const IGNORED_OUTSIDE = (path: string) => path === 'reports' || path.startsWith('reports/') || path === 'package-lock.json' || path === SHIPPED_FILE;
/** Larger files are read as a line naming their size: nothing the export ships is this large, so they differ anyway. */
const MAX_FILE_BYTES = 1024 * 1024;
const SKIPPED_ENTRY = (name: string) => name === 'node_modules' || name === '.git';
/** The review copies variant code without dot entries (see copyCode in review.ts): they are not part of what runs. */
const dotEntries = (rel: string) => rel.split('/').some((part) => part.startsWith('.'));

type Tally = { files: Set<string>; added: number; removed: number };

interface Measured {
  files: FileChange[];
  areas: Map<string, Tally>;
}

/** An export made with --keep-hints ships the tags: removing them is no part of a fix. */
const withoutHints = (text: string) => stripTags(text).text;

const lines = (text: string) => (text === '' ? 0 : text.replace(/\n$/, '').split('\n').length);
const isCode = (line: string) => /[\p{L}\p{N}]/u.test(line);
const codeLines = (text: string) => (text === '' ? 0 : text.replace(/\n$/, '').split('\n').filter(isCode).length);
const withNewline = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

function tally(areas: Map<string, Tally>, area: string, file: string, added: number, removed: number) {
  if (added === 0 && removed === 0) return;
  const t = areas.get(area) ?? { files: new Set<string>(), added: 0, removed: 0 };
  t.files.add(file);
  t.added += added;
  t.removed += removed;
  areas.set(area, t);
}

/**
 * Compares changed files with the original ones (both by export path) and credits each changed
 * line to an area. A block of removed and added lines gives its added lines to the areas of the
 * lines it removed, in order; lines added alone go to the area whose code they land inside.
 */
export function measureFiles(original: Map<string, string>, changed: Map<string, string>, areas: Map<string, (string | undefined)[]>, variantPrefix = APP_PREFIX): Measured {
  const files: FileChange[] = [];
  const byArea = new Map<string, Tally>();
  const display = (path: string) => (path.startsWith(variantPrefix) ? path.slice(variantPrefix.length) : `../${path.slice('variants/'.length)}`);
  for (const path of [...new Set([...original.keys(), ...changed.keys()])].sort()) {
    const before = original.has(path) ? withNewline(normalizeText(original.get(path)!)) : undefined;
    const after = changed.has(path) ? withNewline(withoutHints(normalizeText(changed.get(path)!))) : undefined;
    if (before === after) continue;
    const lineAreas = areas.get(path) ?? [];
    const areaOf = (line: number) => lineAreas[line] ?? 'other';
    const base = { file: display(path), path };
    if (before === undefined) {
      const added = lines(after!);
      files.push({ ...base, status: 'added', added, removed: 0, replaced: 0, rewrite: false });
      tally(byArea, 'other', path, added, 0);
      continue;
    }
    if (after === undefined) {
      const removed = lines(before);
      files.push({ ...base, status: 'removed', added: 0, removed, replaced: 1, rewrite: false });
      for (let line = 0; line < removed; line += 1) tally(byArea, areaOf(line), path, 0, 1);
      continue;
    }
    const originalLines = before.split('\n');
    let line = 0;
    let added = 0;
    let removed = 0;
    let removedCode = 0;
    let block: { removed: number[]; added: number; at: number } | undefined;
    const close = () => {
      if (!block) return;
      if (block.removed.length === 0) {
        // Lines added alone belong to an area when they land inside its code (both neighbours its own).
        const near = lineAreas[block.at - 1] === lineAreas[block.at] ? lineAreas[block.at] : undefined;
        tally(byArea, near ?? 'other', path, block.added, 0);
      } else {
        for (const l of block.removed) tally(byArea, areaOf(l), path, 0, 1);
        for (let i = 0; i < block.added; i += 1) tally(byArea, areaOf(block.removed[Math.floor((i * block.removed.length) / block.added)]!), path, 1, 0);
      }
      block = undefined;
    };
    for (const part of diffLines(before, after)) {
      const count = part.count ?? 0;
      if (!part.added && !part.removed) {
        close();
        line += count;
        continue;
      }
      block ??= { removed: [], added: 0, at: line };
      if (part.removed) {
        for (let i = 0; i < count; i += 1) {
          if (isCode(originalLines[line]!)) removedCode += 1;
          block.removed.push(line++);
        }
        removed += count;
      } else {
        block.added += count;
        added += count;
      }
    }
    close();
    const total = codeLines(before);
    const replaced = total === 0 ? 0 : removedCode / total;
    files.push({ ...base, status: 'modified', added, removed, replaced, rewrite: replaced >= REWRITE_SHARE && removedCode >= REWRITE_MIN_LINES });
  }
  return { files, areas: byArea };
}

/** The share of the original app code's code lines that a change removed or replaced. */
export function appShare(files: FileChange[], original: Map<string, string>): number {
  const app = [...original].filter(([path]) => path.startsWith(APP_PREFIX)).map(([path, text]) => ({ path, code: codeLines(normalizeText(text)) }));
  const total = app.reduce((sum, f) => sum + f.code, 0);
  const replaced = app.reduce((sum, f) => sum + (files.find((c) => c.path === f.path)?.replaced ?? 0) * f.code, 0);
  return total === 0 ? 0 : replaced / total;
}

/** The flags a reviewer reads first: rewritten files, originals replaced by new files, most of the code replaced. */
export function rewriteFlags(files: FileChange[], original: Map<string, string>): string[] {
  const flags = files.filter((f) => f.rewrite).map((f) => `${f.file} was rewritten (${percent(f.replaced)} of its lines replaced)`);
  const gone = files.filter((f) => f.status === 'removed');
  const fresh = files.filter((f) => f.status === 'added');
  if (gone.length && fresh.length) {
    flags.push(
      `${gone.map((f) => f.file).join(', ')} ${gone.length === 1 ? 'was' : 'were'} removed and ${fresh.map((f) => f.file).join(', ')} added: the original replaced rather than changed`,
    );
  } else if (gone.length) {
    flags.push(`${gone.map((f) => f.file).join(', ')} ${gone.length === 1 ? 'was' : 'were'} removed`);
  }
  const share = appShare(files, original);
  if (share >= REWRITE_SHARE) flags.unshift(`most of the implementation was replaced (${percent(share)} of its lines)`);
  return flags;
}

/** Every file under a folder by its path relative to it, with `/` separators (node_modules, .git and symlinks left out). */
function readTree(folder: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  if (!existsSync(folder)) return new Map();
  const files = walkTree(folder, { skipName: SKIPPED_ENTRY, skipPath: skip });
  return new Map(files.map((file) => [file.path, file.size > MAX_FILE_BYTES ? `(a file of ${file.size} bytes, not read)\n` : readFileSync(join(folder, file.path), 'utf8')]));
}

/** exercise.json may differ only in "chosen", which the candidate is asked to set. */
function sameAssignmentFile(exported: string, returned: string): boolean {
  try {
    const a = JSON.parse(exported);
    const b = JSON.parse(returned);
    delete a.chosen;
    delete b.chosen;
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

const referenceCache = new Map<Map<string, string>, Measured>();

/** The reference's change: the lab's variants/fixed against the exported original. */
function referenceChange(exported: Map<string, string>, areas: Map<string, (string | undefined)[]>): Measured {
  const known = referenceCache.get(exported);
  if (known) return known;
  const original = new Map([...exported].filter(([path]) => path.startsWith(APP_PREFIX)));
  const fixed = new Map([...readTree(join(LAB_ROOT, labVariant('reference').path))].map(([rel, text]) => [`${APP_PREFIX}${rel}`, text]));
  const measured = measureFiles(original, fixed, areas);
  referenceCache.set(exported, measured);
  return measured;
}

/** The measurement, or an empty one that says why not: a finding beside the rubric must never stop the review. */
export function measureChange(input: SubmissionInput): ChangeSize {
  try {
    return measure(input);
  } catch (error) {
    return {
      compared: input.repo ? 'repository' : 'variant folder',
      files: [],
      added: 0,
      removed: 0,
      areas: [],
      reference: { files: 0, added: 0, removed: 0, replaced: 0, other: { added: 0, removed: 0 } },
      outside: [],
      tests: [],
      writeUp: input.repo ? 'missing' : 'not sent',
      flags: [],
      replaced: 0,
      notes: [`the change could not be measured: ${(error as Error).message.split('\n')[0]}`],
    };
  }
}

function measure(input: SubmissionInput): ChangeSize {
  const baseline = baselineFor(input.assignment, input.repo);
  const exported = baseline.files;
  const areas = exportedAreas(exported);
  const notes = baseline.note ? [baseline.note] : [];

  // The variant code as the review runs it: the whole variants/ folder of a repository, or the folder alone.
  const original = new Map<string, string>();
  const changed = new Map<string, string>();
  const variantsDir = input.repo ? join(input.repo, 'variants') : undefined;
  const inVariants = variantsDir !== undefined && relative(variantsDir, input.variantPath).split(sep).length === 1 && !relative(variantsDir, input.variantPath).startsWith('..');
  for (const [path, text] of exported) if (path.startsWith(inVariants ? 'variants/' : APP_PREFIX)) original.set(path, text);
  if (inVariants) {
    const variantRel = relative(variantsDir!, input.variantPath).split(sep).join('/');
    for (const [rel, text] of readTree(variantsDir!, dotEntries)) {
      const inApp = rel.startsWith(`${variantRel}/`);
      changed.set(inApp ? `${APP_PREFIX}${rel.slice(variantRel.length + 1)}` : `variants/${rel}`, text);
    }
  } else {
    for (const [rel, text] of readTree(input.variantPath, dotEntries)) changed.set(`${APP_PREFIX}${rel}`, text);
  }
  // A variant file the lab has changed since the export: kept as shipped, it is no change of theirs;
  // changed, it can only be measured against today's original, which the note says.
  for (const path of baseline.changedSince.filter((p) => p.startsWith('variants/'))) {
    const theirs = changed.get(path);
    if (theirs !== undefined && baseline.asShipped(path, theirs)) original.set(path, theirs);
    else if (original.has(path) || theirs !== undefined) notes.push(`${path} has changed in the lab since this exercise was exported: it is measured against the lab's original as it is now, so the lab's edit may count as theirs`);
  }
  if (baseline.shipped) for (const path of [...original.keys()]) if (!baseline.shipped.has(path)) original.delete(path);
  const mine = measureFiles(original, changed, areas);
  const reference = referenceChange(exported, areas);
  for (const file of mine.files) {
    const theirs = reference.files.find((f) => f.path === file.path);
    if (theirs) file.referenceReplaced = theirs.replaced;
  }

  // Outside variants/: listed, not measured (the review runs the lab's own copies).
  const outside: string[] = [];
  const tests: string[] = [];
  let writeUp: ChangeSize['writeUp'] = 'not sent';
  if (input.repo) {
    const returned = readTree(input.repo, (rel) => rel === 'variants' || IGNORED_OUTSIDE(rel));
    const shippedOutside = baseline.paths.filter((path) => !path.startsWith('variants/') && !IGNORED_OUTSIDE(path));
    const solution = returned.get('SOLUTION.md');
    writeUp = solution === undefined ? 'missing' : baseline.asShipped('SOLUTION.md', solution) ? 'as exported' : 'edited';
    for (const path of [...new Set([...returned.keys(), ...shippedOutside])].sort()) {
      if (path === 'SOLUTION.md') continue;
      const handed = baseline.paths.includes(path);
      const b = returned.get(path);
      if (handed && b !== undefined && baseline.asShipped(path, b)) continue;
      const a = exported.get(path);
      if (path === 'exercise.json' && a !== undefined && b !== undefined && sameAssignmentFile(a, b)) continue;
      const label = b === undefined ? `${path} (removed)` : !handed ? `${path} (added)` : path;
      (path.startsWith('test/') ? tests : outside).push(label);
    }
  } else {
    notes.push('only a variant folder was sent: files outside it (tests, SOLUTION.md, the harness) could not be compared');
  }

  const assigned = new Set(assignedScenarios(input.assignment));
  const shown = [...new Set([...assigned, ...[...mine.areas.keys()].filter((a) => a !== 'other')])];
  // Assigned areas in the exercise's order, then any other area the candidate changed.
  const rank = (a: string) => (assigned.has(a) ? [...assigned].indexOf(a) : assigned.size);
  shown.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const counts = (t?: Tally) => ({ files: t?.files.size ?? 0, added: t?.added ?? 0, removed: t?.removed ?? 0 });
  const areaRows: AreaChange[] = [...shown, 'other'].map((area) => ({
    area,
    candidate: counts(mine.areas.get(area)),
    reference: counts(reference.areas.get(area)),
    assigned: area === 'other' || assigned.has(area),
  }));

  const sum = (files: FileChange[], key: 'added' | 'removed') => files.reduce((s, f) => s + f[key], 0);
  return {
    compared: input.repo ? 'repository' : 'variant folder',
    files: mine.files,
    added: sum(mine.files, 'added'),
    removed: sum(mine.files, 'removed'),
    areas: areaRows,
    reference: {
      files: new Set([...assigned].flatMap((a) => [...(reference.areas.get(a)?.files ?? [])])).size,
      added: [...assigned].reduce((n, a) => n + (reference.areas.get(a)?.added ?? 0), 0),
      removed: [...assigned].reduce((n, a) => n + (reference.areas.get(a)?.removed ?? 0), 0),
      replaced: appShare(reference.files, original),
      other: { added: reference.areas.get('other')?.added ?? 0, removed: reference.areas.get('other')?.removed ?? 0 },
    },
    outside,
    tests,
    writeUp,
    flags: rewriteFlags(mine.files, original),
    replaced: appShare(mine.files, original),
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** For the reviewer: how much of the same code the reference replaced, beside each kind of rewrite flagged. */
function referenceContext(change: ChangeSize): string[] {
  const parts: string[] = [];
  if (change.flags.some((flag) => flag.startsWith('most of the implementation'))) parts.push(`${percent(change.reference.replaced)} of the original code`);
  for (const f of change.files.filter((file) => file.rewrite || file.status === 'removed')) {
    parts.push(f.referenceReplaced === undefined ? `none of ${f.file}` : `${percent(f.referenceReplaced)} of ${f.file}`);
  }
  return parts.length ? [`> _For comparison, the reference's own change replaced ${parts.join(', ')}._`] : [];
}
const areaLabel = (a: AreaChange) => (a.area === 'other' ? 'other' : `${inlineCode(a.area)}${a.assigned ? '' : ' (not assigned)'}`);
const size = (c: { files: number; added: number; removed: number }) => (c.files === 0 ? '—' : `${c.files} file${c.files === 1 ? '' : 's'}, +${count(c.added)} −${count(c.removed)}`);

/**
 * "## Size of the change". The candidate's copy shows their own figures only: the reference's line
 * counts per area would say where, and how much, the answer key changes.
 */
export function renderChange(change: ChangeSize, audience: RubricAudience): string {
  const reviewer = audience === 'reviewer';
  const out = ['## Size of the change'];
  if (change.areas.length === 0) return [...out, ...change.notes.map((note) => `_${note}._`)].join('\n\n');
  const whose = reviewer ? 'The candidate\'s' : 'Your';
  const scope = change.compared === 'repository' ? '`variants/`' : 'the variant folder';
  out.push(
    `_${whose} ${scope} against the original code as exported for ${reviewer ? 'this' : 'your'} assignment: ` +
      (change.files.length ? `${change.files.length} file(s) changed, +${count(change.added)} −${count(change.removed)} lines` : 'no change') +
      (reviewer
        ? `; the reference's own change in the areas assigned: ${change.reference.files} file(s), +${count(change.reference.added)} −${count(change.reference.removed)}, and +${count(change.reference.other.added)} −${count(change.reference.other.removed)} in code no area claims`
        : '') +
      '. Lines are credited to the incident whose code they change; lines in no incident\'s code count as "other"._',
  );
  if (change.flags.length) {
    // The reviewer weighs a rewrite against the reference, which replaces much of a small file too.
    const context = reviewer ? referenceContext(change) : [];
    out.push([...change.flags.map((flag) => `> **Rewrite:** ${flag}.`), ...(context.length ? ['>', ...context] : [])].join('\n'));
  }
  const areas = change.areas.filter((a) => a.assigned || a.candidate.files > 0);
  out.push(
    reviewer
      ? markdownTable(['Area', 'Changed', 'Reference'], areas.map((a) => [areaLabel(a), size(a.candidate), size(a.reference)]))
      : markdownTable(['Area', 'Changed'], areas.map((a) => [areaLabel(a), size(a.candidate)])),
  );
  if (change.files.length) {
    out.push(
      markdownTable(
        ['File', 'Status', 'Added', 'Removed', 'Original lines replaced', ...(reviewer ? ['Reference replaced'] : [])],
        change.files.map((f) => [
          inlineCode(f.path),
          f.status,
          f.added,
          f.removed,
          f.status === 'added' ? '—' : `${percent(f.replaced)}${f.rewrite ? ' (rewrite)' : ''}`,
          ...(reviewer ? [f.referenceReplaced === undefined ? '—' : percent(f.referenceReplaced)] : []),
        ]),
      ),
    );
  }
  if (change.compared === 'repository') {
    const list = (items: string[]) => (items.length ? items.map(inlineCode).join(', ') : 'none');
    out.push(
      [
        `- Outside \`variants/\` (the review runs the lab's own copies, so these changes are not part of the solution): ${list(change.outside)}`,
        `- Tests: ${list(change.tests)}`,
        `- SOLUTION.md: ${change.writeUp}`,
      ].join('\n'),
    );
  }
  if (change.notes.length) out.push(change.notes.map((note) => `_Note: ${note}._`).join('\n'));
  return out.join('\n\n');
}
