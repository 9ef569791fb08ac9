// PostgreSQL and pg-mem both report a violated unique constraint as SQLSTATE 23505.
const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/**
 * Runs an insert and turns a unique violation into `conflict()`. The insert is the check: a
 * look-up before it would race a concurrent identical create (both see nothing, one insert fails).
 */
export async function insertOrConflict<T>(insert: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
