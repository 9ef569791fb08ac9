// The candidate's variant code as text, kept in the JSON report: a cohort report merged from JSON
// reports written on other machines compares submissions without their folders.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE = /\.(ts|js|mjs|cjs|mts|cts|json)$/;
/** Larger files are not a fix to an orders service; they would only bloat the report. */
const MAX_FILE_BYTES = 256 * 1024;

/** Every source file under the folder by its path relative to it (symlinks and node_modules left out). */
export function readSources(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const path = join(dir, entry);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && SOURCE.test(entry) && stat.size <= MAX_FILE_BYTES) out[relative(folder, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(folder);
  return out;
}
