// The review workflow's first job (.github/workflows/review.yml): which submissions to review, as
// the JSON its matrix reads, one job per submission. They come either as a JSON list of GitHub
// repositories ("owner/name") or as a folder of the lab's repository holding one submission per
// subfolder. Each gets the name its report and artifact will carry, and no two the same.
// `REPOSITORIES='["acme/jane"]' npx ts-node exercise/review-matrix.ts` prints `candidates=<json>`
// for $GITHUB_OUTPUT; a bad input exits 2 with a message saying what to write instead.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileName } from './review';
import { parseFlags, runCommand, type CommandContext } from '../harness/settings';

export interface MatrixCandidate {
  /** Report and artifact name: review-<name>.json, artifact review-<name>. */
  name: string;
  /** owner/name of a GitHub repository, or '' for a folder. */
  repository: string;
  /** A folder of the lab's repository, relative to its root, or '' for a repository. */
  folder: string;
}

export class MatrixError extends Error {}

/** GitHub runs at most this many jobs from one matrix. */
export const MAX_MATRIX_JOBS = 256;

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

function fromRepositories(text: string): MatrixCandidate[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || list.length === 0) throw new MatrixError(`repositories must be a JSON list of "owner/name" strings, like ["acme/jane-exercise", "acme/omar-exercise"]; it is ${text}`);
  return list.map((repository) => {
    if (typeof repository !== 'string' || !REPOSITORY.test(repository)) throw new MatrixError(`repositories: ${JSON.stringify(repository)} is not "owner/name"`);
    return { name: fileName(repository.split('/')[1]!), repository, folder: '' };
  });
}

function fromFolder(folder: string, root: string): MatrixCandidate[] {
  const clean = folder.replace(/\/+$/, '');
  if (isAbsolute(clean) || clean.split('/').includes('..')) throw new MatrixError(`folder "${folder}" must be a path inside this repository, like submissions/2026-12`);
  const dir = join(root, clean);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MatrixError(`folder "${folder}" is not a folder of this repository`);
  const candidates = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name: fileName(name), repository: '', folder: `${clean}/${name}` }));
  if (candidates.length === 0) throw new MatrixError(`folder "${folder}" has no subfolders: put each submission in one of its own`);
  return candidates;
}

/** The matrix for `repositories` (a JSON list) or `folder` (under `root`): exactly one of them. */
export function reviewMatrix(input: { repositories?: string; folder?: string }, root: string): MatrixCandidate[] {
  const repositories = input.repositories?.trim() ?? '';
  const folder = input.folder?.trim() ?? '';
  if (Boolean(repositories) === Boolean(folder)) throw new MatrixError('name the submissions either as repositories (a JSON list of "owner/name") or as a folder of this repository, one of the two');
  const candidates = repositories ? fromRepositories(repositories) : fromFolder(folder, root);
  const seen = new Map<string, MatrixCandidate>();
  for (const candidate of candidates) {
    const other = seen.get(candidate.name);
    const where = (c: MatrixCandidate) => c.repository || c.folder;
    if (other) throw new MatrixError(`${where(other)} and ${where(candidate)} would both be reviewed as "${candidate.name}": rename one`);
    seen.set(candidate.name, candidate);
  }
  if (candidates.length > MAX_MATRIX_JOBS) throw new MatrixError(`${candidates.length} submissions: GitHub runs at most ${MAX_MATRIX_JOBS} jobs from one matrix; split them into several runs`);
  return candidates;
}

/** The review workflow's plan job: its inputs come in as REPOSITORIES or FOLDER; the matrix goes to $GITHUB_OUTPUT's format on stdout. */
async function main(argv: string[], { env }: CommandContext): Promise<number> {
  parseFlags(argv, {});
  const candidates = reviewMatrix({ repositories: env.variable('REPOSITORIES'), folder: env.variable('FOLDER') }, process.cwd());
  process.stdout.write(`candidates=${JSON.stringify(candidates)}\n`);
  console.error(`${candidates.length} submission(s) to review: ${candidates.map((c) => c.name).join(', ')}`);
  return 0;
}

if (require.main === module) runCommand('review-matrix', main, { expected: [MatrixError] });
