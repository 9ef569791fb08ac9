// Keeps reports/<name>.json (the source of truth) and the markdown rendered from it on disk. Both
// are rewritten after every result, so each write must replace the old file whole: a run killed
// mid-write must leave the previous report, never half of a new one.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VERDICTS } from '../../service/shared/report';
import type { RunResult } from '../scenario';
import { renderMarkdown } from './markdown';

export function writeReport(dir: string, name: string, run: RunResult): { json: string; markdown: string } {
  if (name === '' || basename(name) !== name || name.startsWith('.')) {
    throw new Error(`report name must be a plain file name, got "${name}"`);
  }
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const markdown = join(dir, `${name}.md`);
  const source = JSON.stringify(run, null, 2) + '\n';
  writeAtomically(json, source);
  // Rendered from the JSON as written, so the markdown never shows what a re-render could not.
  writeAtomically(markdown, renderMarkdown(JSON.parse(source) as RunResult));
  return { json, markdown };
}

/** Readers see the old file or the new one, never half of one. */
export function writeAtomically(path: string, content: string): void {
  // Same directory as the target: rename is only atomic within one file system.
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function readReport(path: string): RunResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw notAReport(path, `not valid JSON (${error.message})`);
    throw error;
  }
  const problem = shapeProblem(parsed);
  if (problem) throw notAReport(path, problem);
  return parsed as RunResult;
}

function notAReport(path: string, why: string): Error {
  return new Error(`${path} is not a Regression Lab report: ${why}`);
}

const KNOWN_VERDICTS: ReadonlySet<string> = new Set(VERDICTS);

/** What is wrong with the top-level shape, or undefined; enough to tell a report from other JSON. */
function shapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a JSON object';
  const { header, scenarios, results, complete } = value;
  if (!isObject(header)) return 'missing "header"';
  for (const key of ['date', 'commit', 'backend', 'command'] as const) {
    if (typeof header[key] !== 'string') return `"header.${key}" is not a string`;
  }
  if (!isStringArray(header.variants)) return '"header.variants" is not a list of names';
  if (!isStringArray(scenarios)) return '"scenarios" is not a list of ids';
  if (typeof complete !== 'boolean') return '"complete" is not true or false';
  if (!Array.isArray(results)) return '"results" is not a list';
  const index = results.findIndex((result) => resultProblem(result) !== undefined);
  return index === -1 ? undefined : `results[${index}]: ${resultProblem(results[index])}`;
}

function resultProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected an object';
  if (typeof value.scenario !== 'string') return '"scenario" is not a string';
  if (typeof value.variant !== 'string') return '"variant" is not a string';
  if (typeof value.verdict !== 'string' || !KNOWN_VERDICTS.has(value.verdict)) return `unknown verdict ${JSON.stringify(value.verdict)}`;
  if (!isObject(value.evidence)) return 'missing "evidence"';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
