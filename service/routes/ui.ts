// The web page: three small static files, read once when the plugin registers and served from
// memory. No static-file dependency: there is nothing to list, range or revalidate.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifySchema } from 'fastify';

const UI_DIR = resolve(__dirname, '../ui');

const FILES = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
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

// Static files have no input to validate and no JSON to serialize; `hide` keeps them out of API docs.
const staticFile: FastifySchema & { hide: boolean } = { hide: true };

export default async function uiRoutes(app: FastifyInstance) {
  for (const { url, file, type } of FILES) {
    const body = readFileSync(resolve(UI_DIR, file));
    app.get(url, { schema: staticFile }, async (_req, reply) =>
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .send(body),
    );
  }
}
