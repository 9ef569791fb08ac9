// The web page: index.html and style.css read once when the plugin registers, and the page's
// script, service/ui/src/*.ts, bundled for the browser by esbuild the first time it is asked for
// and kept for the life of the process. Built from the sources the process runs, so it cannot go
// stale and nobody runs a build step; the processes that never serve the page never pay for it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type { FastifyInstance, FastifyReply, FastifySchema } from 'fastify';

const UI_DIR = resolve(__dirname, '../ui');

/** The page's entry module; everything it imports (service/shared included) goes into one script. */
export const PAGE_ENTRY = resolve(UI_DIR, 'src/main.ts');

const STATIC_FILES = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
] as const;

/**
 * Nothing but our own script, stylesheet and API: no inline code, no plugins, no framing. The page
 * builds its charts as inline SVG elements (not images), so data: is only for an icon.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * One classic script (an IIFE: no module loading, nothing inline), for the browsers of the last
 * few years. Synchronous and about 0.1 s, once per process; a failed build is not kept, so the
 * next request tries again and the error reaches the log.
 */
export function bundlePage(): Buffer {
  const { outputFiles } = buildSync({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  return Buffer.from(outputFiles[0]!.contents);
}

let pageScript: Buffer | undefined;

// Static files have no input to validate and no JSON to serialize; `hide` keeps them out of API docs.
const staticFile: FastifySchema & { hide: boolean } = { hide: true };

export default async function uiRoutes(app: FastifyInstance) {
  const send = (type: string, body: () => Buffer) => async (_req: unknown, reply: FastifyReply) =>
    reply
      .type(type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .send(body());
  for (const { url, file, type } of STATIC_FILES) {
    const body = readFileSync(resolve(UI_DIR, file));
    app.get(url, { schema: staticFile }, send(type, () => body));
  }
  app.get('/app.js', { schema: staticFile }, send('text/javascript; charset=utf-8', () => (pageScript ??= bundlePage())));
}
