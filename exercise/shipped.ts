// What an export shipped, file by file, as digests in the candidate's repository. The review tells
// the candidate's changes from what was shipped by these, not by an export rebuilt from the lab as
// it is at review time: a lab updated between the export and the review would otherwise show its
// own edits (a new chart, a reworded template test) as the candidate's.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Beside the candidate's code, out of the way (copies of the code skip dot entries). */
export const SHIPPED_FILE = '.handout/files.json';

/** Line endings as the lab writes them: a checkout with CRLF endings changes no file. */
export const normalizeText = (text: string) => text.replace(/\r\n?/g, '\n');

/** Long enough that no edit collides by chance, short enough to keep the manifest readable. */
export const digest = (text: string) => createHash('sha256').update(normalizeText(text)).digest('hex').slice(0, 20);

export function shippedManifest(files: Map<string, string>): string {
  const digests = Object.fromEntries([...files].filter(([path]) => path !== SHIPPED_FILE).sort(([a], [b]) => a.localeCompare(b)).map(([path, text]) => [path, digest(text)]));
  return JSON.stringify({ about: 'The files of this exercise as it was handed out (SHA-256, first 20 hex digits). Leave it as it is.', files: digests }, null, 2) + '\n';
}

/** The shipped digests by path, or undefined when the repository has no (readable) manifest: an export older than it. */
export function readShipped(repo: string | undefined): Map<string, string> | undefined {
  const file = repo && join(repo, SHIPPED_FILE);
  if (!file || !existsSync(file)) return undefined;
  try {
    const files = (JSON.parse(readFileSync(file, 'utf8')) as { files?: Record<string, unknown> }).files;
    if (!files || typeof files !== 'object') return undefined;
    return new Map(Object.entries(files).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return undefined;
  }
}
