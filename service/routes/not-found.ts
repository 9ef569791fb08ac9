import { DomainError } from '../../variants/contract';

/** Turns a repository's `null` into the 404 every route gives for a missing record. */
export function found<T>(value: T | null, what: string, id: number | string): T {
  if (value === null) throw new DomainError(404, `${what} ${id} not found`);
  return value;
}
