// The candidate's variant code as text, kept in the JSON report: a cohort report merged from JSON
// reports written on other machines compares submissions without their folders.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkTree } from '../../harness/files';

const SOURCE = /\.(ts|js|mjs|cjs|mts|cts|json)$/;
/** Larger files are not a fix to an orders service; they would only bloat the report. */
const MAX_FILE_BYTES = 256 * 1024;

/** Every source file under the folder by its path relative to it (symlinks and node_modules left out). */
export function readSources(folder: string): Record<string, string> {
  const sources = walkTree(folder).filter((file) => SOURCE.test(file.path) && file.size <= MAX_FILE_BYTES);
  return Object.fromEntries(sources.map((file) => [file.path, readFileSync(join(folder, file.path), 'utf8')]));
}
