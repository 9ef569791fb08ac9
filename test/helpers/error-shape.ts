// The one error shape every refusal has: {statusCode, error, message} as JSON with a charset.
import { STATUS_CODES } from 'node:http';
import { expect } from 'chai';

export interface ResponseLike {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Why `response` is not an error in the one shape, or undefined when it is. */
export function errorShapeProblem(response: ResponseLike): string | undefined {
  if (response.headers['content-type'] !== 'application/json; charset=utf-8') return `content-type ${String(response.headers['content-type'])}`;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `body is not JSON: ${response.body.slice(0, 200)}`;
  }
  const { statusCode, error, message, ...rest } = (body ?? {}) as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return `extra keys ${Object.keys(rest).join(', ')}`;
  if (statusCode !== response.statusCode) return `statusCode ${String(statusCode)} in a ${response.statusCode} response`;
  if (error !== STATUS_CODES[response.statusCode]) return `error "${String(error)}" for ${response.statusCode}`;
  if (typeof message !== 'string' || message === '') return 'no message';
  return undefined;
}

export function expectError(response: ResponseLike, statusCode: number, what = ''): { statusCode: number; error: string; message: string } {
  expect(response.statusCode, `${what}: ${response.body}`).to.equal(statusCode);
  expect(errorShapeProblem(response), what).to.equal(undefined);
  return JSON.parse(response.body);
}
