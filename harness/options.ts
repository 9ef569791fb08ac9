// Command-line values checked the same way in every command: a bad one gets a sentence that
// names the option and what it accepts, and the command exits 2.
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
