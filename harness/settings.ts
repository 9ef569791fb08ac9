// The one place a command reads its settings: argv through parseFlags and the environment through
// readEnvironment, each once, at the entry point, into typed values handed down from there. A bad
// value gets a sentence that names the option and what it accepts, and the command exits 2.
// Processes the lab forks get their settings as typed values too (harness/service-process.ts), never
// by reading an environment that may hold the caller's database credentials.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Cleanups, exitOnInterrupt } from './interrupt';
import { SCALES, type Scale } from './scenario';

/** The PostgreSQL `--db postgres` uses when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Every environment variable the lab reads, read once. */
export interface LabEnvironment {
  /** DATABASE_URL: the server `--db postgres` uses. */
  databaseUrl: string;
  /** REGRESSION_LAB_SANDBOX_USER: who code the lab did not write runs as, when it can switch users. */
  sandboxUser?: string;
  /** REGRESSION_LAB_CODE_ROOT: set by harness/sandbox.ts for a confined service: the code its bare imports come from the lab for. */
  codeRoot?: string;
  /** Any other variable, by name: for one only a single command reads. */
  variable(name: string): string | undefined;
}

/** An empty variable counts as unset, as a shell's `VAR=` means. */
const present = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): LabEnvironment {
  const snapshot = { ...env };
  return {
    databaseUrl: present(snapshot.DATABASE_URL) ?? DEFAULT_DATABASE_URL,
    sandboxUser: present(snapshot.REGRESSION_LAB_SANDBOX_USER),
    codeRoot: present(snapshot.REGRESSION_LAB_CODE_ROOT),
    variable: (name) => present(snapshot[name]),
  };
}


export class UsageError extends Error {}

export function positiveNumber(name: string, raw: string | undefined, fallback: number, max: number, integer = true): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number above 0, at most ${max} (got "${raw}")`);
  }
  return value;
}

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of: ${allowed.join(', ')} (got "${raw}")`);
  return raw as T;
}

/**
 * The command line, parsed strictly (an unknown option or a missing value is a usage error). Every
 * option is a string or a flag here; numbers and choices are checked by positiveNumber and oneOf.
 */
export function parseFlags<const O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  { positionals = false } = {},
): { values: ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values']; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: positionals });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Half-second load rounds: three of them, each beside a floor round, keep the quick start within a minute. */
/** The settings of a scenario run, shared by every command that runs scenarios. */
export const RUN_DEFAULTS = { scale: 'small' as Scale, duration: 0.5, connections: 10, trials: 3, seed: 1 };

export const RUN_SETTING_OPTIONS = {
  scale: { type: 'string' },
  duration: { type: 'string' },
  connections: { type: 'string' },
  trials: { type: 'string' },
  seed: { type: 'string' },
} as const;

export function runSettings(values: Partial<Record<keyof typeof RUN_SETTING_OPTIONS, string>>) {
  return {
    scale: oneOf('scale', values.scale, SCALES, RUN_DEFAULTS.scale),
    // Seconds per load round; fractions are fine for autocannon.
    duration: positiveNumber('duration', values.duration, RUN_DEFAULTS.duration, 600, false),
    connections: positiveNumber('connections', values.connections, RUN_DEFAULTS.connections, 1000),
    trials: positiveNumber('trials', values.trials, RUN_DEFAULTS.trials, 100),
    seed: positiveNumber('seed', values.seed, RUN_DEFAULTS.seed, 2 ** 31),
  };
}

/** What an entry point is handed: the environment, read once, and the cleanups Ctrl-C runs. */
export interface CommandContext {
  env: LabEnvironment;
  cleanups: Cleanups;
}

type ErrorClass = abstract new (...args: never[]) => Error;

export interface CommandOptions {
  /** The command's own refusals: printed as one line, exit 2, like a usage error. */
  expected?: ErrorClass[];
  /** What Ctrl-C says it does (default: for commands that write reports as they go). */
  interrupted?: string;
}

/**
 * Runs an entry point as a command: reads the environment, makes Ctrl-C (or SIGTERM) run the
 * cleanups the command registered and exit 130, and exits with what `main` returns. A usage error,
 * or an error of one of `expected`, prints one line and exits 2; anything else is a bug and prints
 * its stack.
 */
export function runCommand(name: string, main: (argv: string[], context: CommandContext) => Promise<number>, { expected = [], interrupted }: CommandOptions = {}): void {
  const cleanups = new Cleanups();
  exitOnInterrupt(name, cleanups, interrupted);
  main(process.argv.slice(2), { env: readEnvironment(), cleanups }).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const known = err instanceof UsageError || expected.some((kind) => err instanceof kind);
      console.error(`${name}: ${known ? (err as Error).message : `error: ${(err as Error)?.stack ?? err}`}`);
      process.exit(2);
    },
  );
}
