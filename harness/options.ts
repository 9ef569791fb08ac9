// Command-line values checked the same way in every command: a bad one gets a sentence that
// names the option and what it accepts, and the command exits 2.
import { SCALES, type Scale } from './scenario';

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

/** Runs node:util parseArgs, turning its errors into usage errors. */
export function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The settings of a scenario run, shared by every command that runs scenarios. */
/** Half-second load rounds: three of them, each beside a floor round, keep the quick start within a minute. */
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
