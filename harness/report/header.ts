// Provenance for a report: enough to tell when, on what code and machine, and with which exact
// command a run was made, so a reader can reproduce it or see why their numbers differ.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { resolve } from 'node:path';
import type { BackendName } from '../db/backends';
import { NO_ISOLATION } from '../sandbox';
import type { RunHeader, Scale } from '../scenario';

export interface HeaderInput {
  backend: BackendName;
  /** Often only known once a service has connected; the runner fills it in later. */
  databaseVersion?: string;
  variants: string[];
  scale: Scale;
  seed: number;
  duration: number;
  connections: number;
  trials: number;
  /** The CLI's arguments after the script, i.e. process.argv.slice(2). */
  argv: string[];
  /** What confined candidate code (see harness/sandbox.ts); default: nothing. */
  isolation?: string;
  /** Where to ask git; defaults to the repository this file lives in. */
  cwd?: string;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

export async function collectHeader(input: HeaderInput): Promise<RunHeader> {
  const { commit, uncommitted } = gitState(input.cwd ?? REPO_ROOT);
  return {
    date: new Date().toISOString(),
    commit,
    ...(uncommitted.length ? { uncommitted } : {}),
    node: process.version,
    databaseVersion: input.databaseVersion ?? 'unknown',
    backend: input.backend,
    variants: input.variants,
    cores: cores(),
    scale: input.scale,
    seed: input.seed,
    duration: input.duration,
    connections: input.connections,
    trials: input.trials,
    command: reproduceCommand(input.argv),
    isolation: input.isolation ?? NO_ISOLATION,
  };
}

/** How far the code a run measured is the commit it names. */
export interface GitState {
  /** Short hash, with -dirty when a tracked file differs from it; 'unknown' outside git. */
  commit: string;
  /** The tracked files that differ from the commit, relative to `cwd`. */
  uncommitted: string[];
}

/**
 * Only tracked code counts: untracked files are not part of any commit (scratch notes, a new
 * test not yet added), and reports/ is where runs write their evidence, so a "before" report kept
 * there must not make the "after" run look doctored.
 */
export function gitState(cwd: string): GitState {
  const hash = git(cwd, ['rev-parse', '--short', 'HEAD']);
  if (!hash) return { commit: 'unknown', uncommitted: [] };
  const changed = git(cwd, ['diff', '--name-only', '-z', '--relative', 'HEAD', '--', '.', ':(exclude)reports']) ?? '';
  const uncommitted = changed.split('\0').filter(Boolean);
  return { commit: uncommitted.length ? `${hash}-dirty` : hash, uncommitted };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function cores(): number {
  // availableParallelism respects CPU affinity (containers, taskset); cpus() does not.
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

export function reproduceCommand(argv: string[]): string {
  const base = 'npm run scenario';
  return argv.length === 0 ? base : `${base} -- ${argv.map(shellQuote).join(' ')}`;
}

/** Quotes an argument for a POSIX shell only when it needs it, so common commands stay readable. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
