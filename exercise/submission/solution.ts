// SOLUTION.md checked: the sections the exported README asks for, and the figures it quotes
// against what the review measured. No grading of prose: a section is there or it is not.
// The sections asked for are read from the SOLUTION.md template the export wrote for this
// assignment (its headings, its bold field labels, its before/after tables), so a change to the
// template changes the check with it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { count, ms, times } from '../../harness/report/format';
import { FEATURE_OPTIONS, partTitles, SCENARIO_EVIDENCE, type Assignment } from '../parts';
import type { Comparison, RubricAudience } from '../rubric';
import { baselineFor } from './baseline';
import { extractFigures, type Figure } from './figures';
import type { SubmissionInput } from './index';
import { fieldStart, inlineCode, isTableLine, markdownTable, normalize, parseDoc, tablesIn, words, type Doc, type Heading, type Table } from './markdown';

export interface SectionCheck {
  /** What the README asks for, e.g. "Root cause (cancel-regression)". */
  section: string;
  present: boolean;
  /** Why it counts as missing: "not found", "heading not found", "left as the template", "table left empty"... */
  note?: string;
}

export interface FigureCheck {
  /** The line of SOLUTION.md quoting it. */
  line: number;
  quote: string;
  /** The numbers read from the quote, in the review's units (seconds become ms). */
  values: number[];
  /** The scenario it was tied to, when one could be. */
  scenario?: string;
  kind: 'queries' | 'ms';
  /** Before: compared with the original code's figures; after: the submitted code's; either: both. */
  role: 'before' | 'after' | 'either';
  /** What it is compared with, e.g. "queries for GET /api/orders/summary?limit=N at 30 customers". */
  measured?: string;
  status: 'consistent' | 'off' | 'unverifiable';
  /** For 'off': by how much, in words ("quotes 3 queries, the review measured 5"); for 'unverifiable': why. */
  detail?: string;
}

export interface SolutionCheck {
  /** false when there is no SOLUTION.md (or it is the unchanged template). */
  found: boolean;
  /** Why not found, in words. */
  reason?: string;
  sections: SectionCheck[];
  figures: FigureCheck[];
}

/**
 * Milliseconds are consistent within this factor of a measured figure: the candidate measured on
 * another machine, under another load, often on another database engine, so only an order of
 * magnitude can be held against them. Query counts do not depend on the machine and must match.
 */
export const MS_TOLERANCE = 3;

// ---------------------------------------------------------------------------------------------
// What the template asks for

interface Requirement {
  name: string;
  kind: 'field' | 'section' | 'evidence';
  /** The template heading it sits under (undefined: above the first section heading). */
  heading?: Heading;
  /** Normalised label of a field. */
  label?: string;
  /** The template's own text for it: content made only of these words is "left as the template". */
  placeholder: Set<string>;
  /** Evidence: the scenarios whose table counts (any one of them). */
  scenarios?: string[];
}

const ID_IN_TEXT = /`([a-z0-9-]+)`/g;
const PUBLIC_IDS = Object.keys(SCENARIO_EVIDENCE);

/** The public scenario a heading names in backticks, as the template's scenario headings do. */
const headingScenario = (text: string) => [...text.matchAll(ID_IN_TEXT)].map((m) => m[1]!).find((id) => PUBLIC_IDS.includes(id));
/** "Part C: Make it fast, with evidence" -> "Make it fast, with evidence". */
const withoutPart = (text: string) => text.replace(/^\s*(part\s+[a-z]|bonus)\s*[:.-]\s*/i, '');

function contextName(heading?: Heading): string {
  if (!heading || heading.level === 1) return '';
  const id = headingScenario(heading.text);
  return id ? ` (\`${id}\`)` : ` (${withoutPart(heading.text).replace(/`/g, '')})`;
}

/** The lines a heading owns before its first sub-heading (no heading: the lines above the first one). */
function ownLines(doc: Doc, heading: Heading | undefined): [number, number] {
  const start = heading ? heading.line + 1 : 0;
  const end = heading ? heading.end : doc.lines.length;
  const sub = doc.headings.find((h) => h.line >= start && h.line < end);
  return [start, sub ? sub.line : end];
}

/** A field's text: from its label to the next field, heading or table. */
function fieldText(doc: Doc, line: number, rest: string, end: number): string {
  const out = [rest];
  for (let i = line + 1; i < end; i += 1) {
    const text = doc.lines[i]!;
    if (!doc.code.has(i) && (fieldStart(text) || isTableLine(text) || /^\s{0,3}#/.test(text))) break;
    out.push(text);
  }
  return out.join('\n');
}

export function requirements(template: string, assignment: Pick<Assignment, 'chosen'>): Requirement[] {
  const doc = parseDoc(template);
  const out: Requirement[] = [];
  for (const heading of [undefined, ...doc.headings]) {
    const [from, to] = ownLines(doc, heading);
    let fields = 0;
    for (let i = from; i < to; i += 1) {
      const field = doc.code.has(i) ? undefined : fieldStart(doc.lines[i]!);
      // "**Evidence** (keep the table ...)": the tables below it are the evidence.
      if (!field || field.label === 'evidence') continue;
      fields += 1;
      const display = (/\*\*([^*]+?)\*\*/.exec(doc.lines[i]!)?.[1] ?? doc.lines[i]!.replace(/^\s*\d+[.)]\s+/, '').split(':')[0]!).replace(/:\s*$/, '');
      out.push({ name: `${display}${contextName(heading)}`, kind: 'field', heading, label: field.label, placeholder: words(fieldText(doc, i, field.rest, to)) });
    }
    const tables = tablesIn(doc, from, to).map((t) => ({ table: t, id: headingScenario(t.header[0] ?? '') })).filter((t) => t.id);
    const features = tables.filter((t) => (FEATURE_OPTIONS as readonly string[]).includes(t.id!));
    for (const { id } of tables.filter((t) => !features.includes(t))) {
      out.push({ name: `Before/after evidence (\`${id}\`)`, kind: 'evidence', heading, placeholder: new Set(), scenarios: [id!] });
    }
    if (features.length) {
      // Part B keeps the table of the one option chosen.
      const chosen = features.find((t) => t.id === assignment.chosen);
      const ids = chosen ? [chosen.id!] : features.map((t) => t.id!);
      out.push({ name: `Before/after evidence (${ids.map((id) => `\`${id}\``).join(' or ')})`, kind: 'evidence', heading, placeholder: new Set(), scenarios: ids });
    }
    const text = doc.lines.slice(from, to).join('\n');
    if (heading && fields === 0 && tables.length === 0 && words(text).size > 0) {
      out.push({ name: withoutPart(heading.text).replace(/`/g, ''), kind: 'section', heading, placeholder: words(text) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the candidate wrote

function headingMatches(template: Heading, candidate: Heading): boolean {
  const id = headingScenario(template.text);
  if (id && new RegExp(`(^|[^a-z0-9-])${id}([^a-z0-9-]|$)`).test(candidate.text)) return true;
  // The same words, with or without "Part C:" and the scenario id in backticks.
  const plain = (text: string) => normalize(withoutPart(text).replace(/\(?`[^`]*`\)?/g, ' '));
  return normalize(template.text) === normalize(candidate.text) || plain(template.text) === plain(candidate.text);
}

/** The candidate's region for a template heading: the matching heading's section, or the part above every section heading. */
function regionOf(doc: Doc, heading: Heading | undefined): [number, number] | undefined {
  if (!heading || heading.level === 1) {
    const firstSection = doc.headings.find((h) => h.level >= 2);
    return [0, firstSection ? firstSection.line : doc.lines.length];
  }
  const found = doc.headings.find((h) => headingMatches(heading, h));
  return found ? [found.line + 1, found.end] : undefined;
}

const hasNewWords = (text: string, placeholder: Set<string>) => [...words(text)].some((w) => !placeholder.has(w));

/** A field in the candidate's region: a bold or numbered label, or a sub-heading named like it. */
function findField(doc: Doc, [from, to]: [number, number], label: string): string | undefined {
  for (let i = from; i < to; i += 1) {
    if (doc.code.has(i)) continue;
    const field = fieldStart(doc.lines[i]!);
    if (field && (field.label === label || field.label.startsWith(`${label} `))) return fieldText(doc, i, field.rest, to);
  }
  const sub = doc.headings.find((h) => h.line >= from && h.line < to && normalize(h.text) === label);
  if (sub) return doc.lines.slice(sub.line + 1, sub.end).join('\n');
  // A numbered answer kept its number but not the question's words.
  const number = /^(\d+) /.exec(label)?.[1];
  if (number) {
    for (let i = from; i < to; i += 1) {
      const m = new RegExp(`^\\s*${number}[.)]\\s+(.*)$`).exec(doc.lines[i]!);
      if (m && !doc.code.has(i)) return fieldText(doc, i, m[1]!, to);
    }
  }
  return undefined;
}

/** A table with a before and an after figure in one row, or before and after rows with a figure each. */
function filledTable(table: Table): boolean {
  const col = (word: string) => table.header.findIndex((c) => normalize(c).split(' ').includes(word));
  const before = col('before');
  const after = col('after');
  if (before > 0 && after > 0) return table.rows.some((r) => (r.cells[before] ?? '') !== '' && (r.cells[after] ?? '') !== '');
  const row = (word: string) => table.rows.find((r) => normalize(r.cells[0] ?? '').split(' ').includes(word));
  const filled = (r?: { cells: string[] }) => r !== undefined && r.cells.slice(1).some((c) => c !== '');
  return filled(row('before')) && filled(row('after'));
}

function checkEvidence(doc: Doc, requirement: Requirement, region: [number, number] | undefined, templateTablesHere: number): SectionCheck {
  const ids = requirement.scenarios!;
  const named = tablesIn(doc).filter((t) => t.header.some((c) => ids.some((id) => c.includes(id))));
  // Where the template's section holds one table, any table in the candidate's section stands for it.
  const tables = named.length || !region || templateTablesHere !== 1 ? named : tablesIn(doc, region[0], region[1]);
  if (tables.length === 0) return { section: requirement.name, present: false, note: 'table not found' };
  return tables.some(filledTable) ? { section: requirement.name, present: true } : { section: requirement.name, present: false, note: 'table left empty' };
}

export function checkSections(text: string, template: string, assignment: Pick<Assignment, 'chosen'>): SectionCheck[] {
  const doc = parseDoc(text);
  const tpl = parseDoc(template);
  return requirements(template, assignment).map((requirement): SectionCheck => {
    const region = regionOf(doc, requirement.heading);
    if (requirement.kind === 'evidence') {
      const [from, to] = ownLines(tpl, requirement.heading);
      const here = requirement.heading ? tablesIn(tpl, from, to).filter((t) => headingScenario(t.header[0] ?? '')).length : 0;
      return checkEvidence(doc, requirement, region, here);
    }
    if (!region) return { section: requirement.name, present: false, note: `heading "${requirement.heading!.text}" not found` };
    const content = requirement.kind === 'field' ? findField(doc, region, requirement.label!) : doc.lines.slice(region[0], region[1]).join('\n');
    if (content === undefined) return { section: requirement.name, present: false, note: 'not found' };
    return hasNewWords(content, requirement.placeholder) ? { section: requirement.name, present: true } : { section: requirement.name, present: false, note: 'left as the template' };
  });
}

// ---------------------------------------------------------------------------------------------
// Figures against the review's measurements

interface Measurement {
  /** The figure as the report would name it, e.g. "p50 561 ms (summary, 30 customers)". */
  label: string;
  value: number;
  role: 'broken' | 'candidate';
}

const ROLE_WORDS = { broken: 'the original code', candidate: 'the submitted code' } as const;
const rolesOf = (role: FigureCheck['role']) => (role === 'before' ? (['broken'] as const) : role === 'after' ? (['candidate'] as const) : (['broken', 'candidate'] as const));
/** The candidate's own figure, echoed as they wrote it (not re-rounded by the report's rules). */
const quoted = (v: number) => (Number.isInteger(v) ? count(v) : String(v));
const queriesWord = (n: number) => `quer${n === 1 ? 'y' : 'ies'}`;

function queryMeasurements(comparison: Comparison, role: 'broken' | 'candidate'): Measurement[] {
  return comparison.queries.flatMap((row) => (row.queries[role] ?? []).map((value, i) => ({ label: `${value} at ${row.sizes[i] ?? `size ${i + 1}`}`, value, role })));
}

function msMeasurements(comparison: Comparison, role: 'broken' | 'candidate', stat: Figure['stats'][number], input: Pick<SubmissionInput, 'run' | 'review'>): Measurement[] {
  const out: Measurement[] = [];
  if (stat !== 'time') {
    for (const row of comparison.latency) {
      const stats = row.stats[role];
      if (!stats) continue;
      if (stat !== 'p99') out.push({ label: `p50 ${ms(stats.p50)} ms (${row.label}, ${row.size})`, value: stats.p50, role });
      if (stat !== 'p50') out.push({ label: `p99 ${ms(stats.p99)} ms (${row.label}, ${row.size})`, value: stats.p99, role });
    }
  }
  if (stat === undefined || stat === 'time') {
    // The scaling table's own timing is in the run, not the rubric; the run names the original by its role.
    const variant = role === 'candidate' ? input.review.candidate : 'broken';
    const result = input.run.results.filter((r) => r.scenario === comparison.scenario && r.variant === variant).at(-1);
    for (const scaling of result?.evidence.scaling ?? []) for (const p of scaling.points) out.push({ label: `${ms(p.ms)} ms for one request at ${p.label}`, value: p.ms, role });
  }
  return out;
}

/** What a figure was held against, by role: "the original code: 8 at 3 customers, 26 at 10 customers". */
function describe(pool: Measurement[]): string {
  const roles = [...new Set(pool.map((m) => m.role))];
  return roles.map((role) => `${ROLE_WORDS[role]}: ${[...new Set(pool.filter((m) => m.role === role).map((m) => m.label))].join(', ')}`).join('; ');
}

export function checkFigure(figure: Figure, input: Pick<SubmissionInput, 'run' | 'review'>): FigureCheck {
  const base = { line: figure.line + 1, quote: figure.quote, values: figure.values, kind: figure.kind, role: figure.role, ...(figure.scenario ? { scenario: figure.scenario } : {}) };
  const unverifiable = (detail: string): FigureCheck => ({ ...base, status: 'unverifiable', detail });
  if (!figure.scenario) return unverifiable('it names no scenario the review could tie it to (name the scenario id, or put it in that scenario\'s section)');
  const id = figure.scenario;
  const kinds = SCENARIO_EVIDENCE[id]?.kinds ?? [];
  if (figure.kind === 'queries' && !kinds.includes('scaling')) return unverifiable(`the review counts no queries for \`${id}\``);
  if (figure.kind === 'ms' && !kinds.includes('scaling') && !kinds.includes('load')) return unverifiable(`the review times nothing for \`${id}\``);
  const comparison = input.review.comparisons.find((c) => c.scenario === id && !c.hidden);
  if (!comparison) return unverifiable(`\`${id}\` was not run in this review`);
  // pg-mem's timings are not a database server's (the rubric says so too): holding a candidate's
  // PostgreSQL milliseconds against them would call every honest figure off.
  if (figure.kind === 'ms' && input.review.backend === 'pg-mem') return unverifiable('this review ran on pg-mem, whose timings are not a database server\'s; review with --db embedded to check milliseconds');

  const roles = rolesOf(figure.role);
  const pools = figure.values.map((_, i) => roles.flatMap((role) => (figure.kind === 'queries' ? queryMeasurements(comparison, role) : msMeasurements(comparison, role, figure.stats[i], input))));
  if (pools.some((pool) => pool.length === 0)) {
    return unverifiable(`the review has no ${figure.kind === 'queries' ? 'query counts' : 'timings'} of ${roles.map((r) => ROLE_WORDS[r]).join(' or ')} for \`${id}\``);
  }
  const measured = describe(pools.flat());
  const off: string[] = [];
  for (const [i, value] of figure.values.entries()) {
    const pool = pools[i]!;
    if (figure.kind === 'queries') {
      if (pool.some((m) => m.value === value)) continue;
      const nearest = pool.reduce((a, b) => (Math.abs(b.value - value) < Math.abs(a.value - value) ? b : a));
      off.push(`${quoted(value)} ${queriesWord(value)} (nearest measured ${count(nearest.value)}, off by ${quoted(Math.abs(nearest.value - value))})`);
      continue;
    }
    const factor = (m: Measurement) => Math.max(m.value, value) / Math.max(Math.min(m.value, value), 1e-9);
    const nearest = pool.reduce((a, b) => (factor(b) < factor(a) ? b : a));
    if (factor(nearest) > MS_TOLERANCE) off.push(`${quoted(value)} ms (nearest measured ${ms(nearest.value)} ms, ${times(factor(nearest))} apart)`);
  }
  if (off.length === 0) return { ...base, measured, status: 'consistent' };
  const beyond = figure.kind === 'ms' ? `: more than the ${MS_TOLERANCE}x that another machine and load explain` : '';
  return { ...base, measured, status: 'off', detail: `quotes ${off.join(', ')}${beyond}` };
}

// ---------------------------------------------------------------------------------------------

function readSolution(repo: string): string | undefined {
  for (const name of ['SOLUTION.md', 'solution.md', 'Solution.md']) {
    const path = join(repo, name);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  return undefined;
}

/** The check on a text, with the template and the review it is held against (what tests call). */
export function checkSolutionText(text: string | undefined, template: string, assignment: Assignment, input: Pick<SubmissionInput, 'run' | 'review'>): SolutionCheck {
  const names = requirements(template, assignment).map((r) => r.name);
  if (text === undefined) return { found: false, reason: 'no SOLUTION.md was returned', sections: names.map((section) => ({ section, present: false, note: 'no SOLUTION.md' })), figures: [] };
  if (normalize(text) === normalize(template)) {
    return { found: false, reason: 'SOLUTION.md is the template as exported', sections: names.map((section) => ({ section, present: false, note: 'left as the template' })), figures: [] };
  }
  const figures = extractFigures(parseDoc(text), { assignment, partTitles: partTitles(assignment.parts) }).map((f) => checkFigure(f, input));
  return { found: true, sections: checkSections(text, template, assignment), figures };
}

/** The check, or a finding that says why there is none: a finding beside the rubric must never stop the review. */
export function checkSolution(input: SubmissionInput): SolutionCheck {
  if (!input.repo) return { found: false, reason: 'only a variant folder was sent, without SOLUTION.md', sections: [], figures: [] };
  try {
    const template = baselineFor(input.assignment, input.repo).files.get('SOLUTION.md') ?? '';
    return checkSolutionText(readSolution(input.repo), template, input.assignment, input);
  } catch (error) {
    return { found: false, reason: `SOLUTION.md could not be checked: ${(error as Error).message.split('\n')[0]}`, sections: [], figures: [] };
  }
}

// ---------------------------------------------------------------------------------------------
// Markdown

const clip = (s: string, max = 90) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** "## SOLUTION.md": what is there and what is missing, and each quoted figure against the review's. */
export function renderSolutionCheck(check: SolutionCheck, audience: RubricAudience): string {
  const out = ['## SOLUTION.md'];
  const whose = audience === 'reviewer' ? 'The candidate\'s' : 'Your';
  if (!check.found) {
    out.push(`_${check.reason ?? 'No SOLUTION.md'}._`);
    if (check.sections.length) out.push(`Missing: ${check.sections.map((s) => s.section).join('; ')}.`);
    return out.join('\n\n');
  }
  const present = check.sections.filter((s) => s.present).length;
  const counts = (status: FigureCheck['status']) => check.figures.filter((f) => f.status === status).length;
  out.push(
    `_${whose} write-up against the sections the exercise's README asks for (${present} of ${check.sections.length} there), and the figures it quotes against what this review measured ` +
      `(${check.figures.length} found: ${counts('consistent')} consistent, ${counts('off')} off, ${counts('unverifiable')} unverifiable; milliseconds count as consistent within ${MS_TOLERANCE}x). The prose is not graded._`,
  );
  out.push(markdownTable(['Section', 'There'], check.sections.map((s) => [s.section, s.present ? 'yes' : `**missing**${s.note ? `: ${s.note}` : ''}`])));
  if (check.figures.length) {
    out.push(
      markdownTable(
        ['Line', 'Quote', 'Scenario', 'Compared with', 'Verdict'],
        check.figures.map((f) => [f.line, inlineCode(clip(f.quote)), f.scenario ? `\`${f.scenario}\`` : undefined, f.measured, `**${f.status}**${f.detail ? `: ${f.detail}` : ''}`]),
      ),
    );
  } else {
    out.push('No query counts or milliseconds quoted.');
  }
  return out.join('\n\n');
}
