// Talking to the API as a client would, and turning what went wrong into plain words.
import { parseServerTiming } from '../../shared/server-timing';
import { TENANT_ID_PATTERN } from '../../shared/tenant-id';
import { byId, el, message, show } from './dom';

const TENANT = new RegExp(TENANT_ID_PATTERN);

/** A problem to tell the user as it is: bad input, or a request that could not be made. */
export class Problem extends Error {}

/** The shop in the box at the top, checked against the service's own pattern. */
export function currentTenant(): string {
  const input = byId<HTMLInputElement>('tenant');
  const value = input.value.trim();
  const ok = TENANT.test(value);
  input.setAttribute('aria-invalid', ok ? 'false' : 'true');
  if (!value) throw new Problem('Enter a shop (tenant) id at the top of the page, for example "demo".');
  if (!ok) throw new Problem(`"${value}" is not a shop id: use lowercase letters, digits and dashes, starting with a letter or digit.`);
  return value;
}

/**
 * An answer. `data` is the parsed JSON body (the text when it is not JSON, null when empty),
 * typed as the success body: callers look at it as `T` only once `ok` or the status says so.
 */
export interface Reply<T> {
  method: string;
  path: string;
  status: number;
  ok: boolean;
  data: T;
  /** Measured in the browser, request to last byte. */
  ms: number;
  headers: Headers;
  /** From Server-Timing; undefined when the server did not send it. */
  queries?: number;
  dbMs?: number;
}

/**
 * One request. Never throws for an HTTP status (callers decide what a 404 means); throws a
 * Problem when the server cannot be reached or the tenant box is invalid.
 */
export async function call<T = unknown>(method: string, path: string, { body, tenant = true }: { body?: unknown; tenant?: boolean } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (tenant) headers['x-tenant-id'] = currentTenant();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    text = await response.text();
  } catch {
    throw new Problem(`Could not reach the server for ${method} ${path}. Is it still running? (npm run dev)`);
  }
  const ms = performance.now() - started;
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  return { method, path, status: response.status, ok: response.ok, data: data as T, ms, headers: response.headers, ...parseServerTiming(response.headers.get('server-timing')) };
}

/** What a refusal says: the service's `{statusCode, error, message}` body, when it is one. */
export function said(data: unknown): { error?: string; message?: string } {
  if (!data || typeof data !== 'object') return {};
  const { error, message } = data as Record<string, unknown>;
  return { error: typeof error === 'string' ? error : undefined, message: typeof message === 'string' ? message : undefined };
}

/** The plain-words version of a failed response. */
export function failure(res: Reply<unknown>, what: string): string {
  const { error, message: text } = said(res.data);
  const status = `${res.status}${error ? ` ${error}` : ''}`;
  if (res.status >= 500) return `${what} failed: the server had an internal error (${status}). Its log has the details.`;
  if (text) return `${what} failed (${status}): ${text.replace(/\.?$/, '.')}`;
  return `${what} failed with status ${status}.`;
}

export function problemText(err: unknown): string {
  if (err instanceof Problem) return err.message;
  return `Something went wrong in the page: ${err instanceof Error && err.message ? err.message : String(err)}`;
}

/**
 * Runs one action behind a button. The button is marked busy rather than disabled so that
 * keyboard focus stays on it; a second press while busy does nothing.
 */
export function action(button: HTMLElement, result: HTMLElement, run: (result: HTMLElement) => Promise<void>): void {
  button.addEventListener('click', async (event) => {
    event.preventDefault();
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    result.setAttribute('aria-busy', 'true');
    show(result, el('p', { class: 'working' }, 'Working…'));
    try {
      await run(result);
    } catch (err) {
      show(result, message('error', problemText(err), 'error'));
    } finally {
      button.removeAttribute('aria-disabled');
      result.removeAttribute('aria-busy');
    }
  });
}

/** Submitting the form (Enter in a field) runs the same action as its submit button. */
export function onSubmit(form: HTMLElement, button: HTMLElement): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.click();
  });
}

export function wholeNumber(input: HTMLInputElement, label: string, min: number, max: number): number {
  const raw = input.value.trim();
  const value = Number(raw);
  const ok = raw !== '' && /^\d+$/.test(raw) && value >= min && value <= max;
  input.setAttribute('aria-invalid', ok ? 'false' : 'true');
  if (!ok) {
    input.focus();
    throw new Problem(`${label} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}
