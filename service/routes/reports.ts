// GET /reports/latest.json: the newest scenario report the harness wrote, as it wrote it, for the
// web page's verdict matrix and charts. Only scenario reports: the same folder can hold other
// tools' reports, written for other readers, and those are never served. The directory is an
// option of buildApp (serve.ts passes <repo>/reports; tests pass a fixtures folder); without it
// the route answers 404.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../../variants/contract';
import { errorBody } from '../schemas/common';
import type { RoutePlugin } from '../schemas/types';
import type { Report } from '../shared/report';

const schema = {
  tags: ['service'],
  summary: 'The newest scenario report, as the harness wrote it (JSON)',
  response: {
    // The file is sent as written (already JSON), so this schema documents rather than filters.
    200: { type: 'object', additionalProperties: true },
    404: errorBody,
  },
} as const;

const NO_REPORT = 'No scenario report yet: run `npm run scenario -- <scenario>` to write one';

/** What `npm run scenario` writes (harness RunResult), and nothing else: other reports add keys. */
const SCENARIO_REPORT_KEYS: ReadonlySet<string> = new Set(['header', 'scenarios', 'results', 'complete', 'totalMs'] satisfies (keyof Report)[]);

function isScenarioReport(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const report = value as Record<string, unknown>;
  const header = report.header as Record<string, unknown> | undefined;
  return (
    Object.keys(report).every((key) => SCENARIO_REPORT_KEYS.has(key)) &&
    typeof header === 'object' && header !== null && typeof header.command === 'string' &&
    Array.isArray(report.scenarios) && report.scenarios.every((id) => typeof id === 'string') &&
    Array.isArray(report.results) &&
    typeof report.complete === 'boolean'
  );
}

/** Report files newest first; files still being written (*.partial.*) are not reports yet. */
async function reportFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const candidates = names.filter((name) => name.endsWith('.json') && !name.includes('.partial.'));
  const dated = await Promise.all(
    candidates.map(async (name) => {
      const info = await stat(join(dir, name));
      return { name, mtime: info.mtimeMs, file: info.isFile() };
    }),
  );
  return dated
    .filter((entry) => entry.file)
    .sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name))
    .map((entry) => entry.name);
}

const reportRoutes: RoutePlugin<{ reportsDir?: string }> = async (app, options) => {
  app.get('/reports/latest.json', { schema }, async (_req, reply) => {
    const dir = options.reportsDir;
    if (!dir) throw new DomainError(404, 'This server was started without a reports directory');
    for (const name of await reportFiles(dir)) {
      const text = await readFile(join(dir, name), 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue; // cut short (an interrupted write): fall back to the next newest
      }
      if (!isScenarioReport(parsed)) continue; // another tool's report, or JSON that is no report
      return reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-report-file', name)
        .send(text);
    }
    throw new DomainError(404, NO_REPORT);
  });
};

export default reportRoutes;
