// PostgreSQL text cannot hold U+0000 (pg-mem stores it), so a NUL in any input would be a 500 on
// one backend and a 201 on the other. Refusing it at the edge gives both the same 400.
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../variants/contract';

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsNul);
  return false;
}

export async function rejectNulCharacters(request: FastifyRequest): Promise<void> {
  if (containsNul(request.query) || containsNul(request.params) || containsNul(request.body)) {
    throw new DomainError(400, 'text must not contain the NUL character (U+0000)');
  }
}
