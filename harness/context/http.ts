// The scenario's HTTP client: JSON in and out, the tenant header, and a record of what was asked
// (the report's request log) and of every 5xx answer (which turns any verdict into a failure).
import { parseServerTiming } from '../queries';
import type { Evidence, Http, HttpResponse, RequestOptions } from '../scenario';
import type { ServerError } from '../server-errors';

export interface HttpRecord {
  requests: Evidence['requests'];
  serverErrors: ServerError[];
}

/** A request's time limit at small scale; larger data sizes multiply it, as they do the scenario's. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function createHttp(baseUrl: string, record: HttpRecord, timeoutMs = REQUEST_TIMEOUT_MS): Http {
  const send = async (method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.tenant) headers['x-tenant-id'] = options.tenant;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const response = await fetch(baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    const headerMap = Object.fromEntries(response.headers.entries());
    const timing = parseServerTiming(headerMap['server-timing']);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (!options.quiet) record.requests.push({ method, path, status: response.status, queries: timing?.queries, ms });
    if (response.status >= 500) {
      const message = typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : undefined;
      record.serverErrors.push({ method, path, status: response.status, message });
    }
    return { status: response.status, body, headers: headerMap, queries: timing?.queries, dbMs: timing?.dbMs, ms, requestId: headerMap['x-request-id'] };
  };
  return {
    get: (path, options) => send('GET', path, options),
    post: (path, options) => send('POST', path, options),
    patch: (path, options) => send('PATCH', path, options),
    delete: (path, options) => send('DELETE', path, options),
  };
}
