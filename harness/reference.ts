// `npm run report:reference`: regenerates the reference reports SOLUTION.md cites (pg-mem and
// PostgreSQL, at the three scales), then the evidence block of SOLUTION.md from them.
// `--render-only` skips the runs and re-renders from the committed JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as runScenarioCli } from './cli';
import { probePostgres, DEFAULT_DATABASE_URL } from './db/backends';
import { renderEvidence, replaceEvidence, type ReferenceReport } from './report/evidence';
import { readReport } from './report/write';

const ROOT = join(__dirname, '..');

export const REFERENCE_RUNS = [
  { db: 'pg-mem', scale: 'small', duration: 1 },
  { db: 'pg-mem', scale: 'medium', duration: 1 },
  { db: 'pg-mem', scale: 'large', duration: 1 },
  { db: 'postgres', scale: 'small', duration: 3 },
  { db: 'postgres', scale: 'medium', duration: 3 },
  { db: 'postgres', scale: 'large', duration: 3 },
] as const;

export const referencePath = (r: (typeof REFERENCE_RUNS)[number]) => `reports/reference-${r.db}-${r.scale}`;

export function loadReferenceReports(): ReferenceReport[] {
  return REFERENCE_RUNS.map((r) => ({ path: `${referencePath(r)}.json`, run: readReport(join(ROOT, `${referencePath(r)}.json`)) }));
}

async function main(argv: string[]): Promise<number> {
  if (!argv.includes('--render-only')) {
    const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    const probe = await probePostgres(url);
    if (!probe.ok) {
      console.error(`report:reference needs PostgreSQL for half of its runs, and ${url} did not answer: ${probe.reason}`);
      return 2;
    }
    for (const r of REFERENCE_RUNS) {
      console.error(`\n== ${r.db}, scale ${r.scale}`);
      const code = await runScenarioCli(['--db', r.db, '--scale', r.scale, '--duration', String(r.duration), '--out', referencePath(r)]);
      if (code !== 0) {
        console.error(`the ${r.db} ${r.scale} run did not behave as expected (exit ${code}); see ${referencePath(r)}.md`);
        return code;
      }
    }
  }
  const solution = join(ROOT, 'SOLUTION.md');
  writeFileSync(solution, replaceEvidence(readFileSync(solution, 'utf8'), renderEvidence(loadReferenceReports())));
  console.error('SOLUTION.md evidence block re-rendered from the reference reports');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(`report:reference: ${(err as Error).stack ?? err}`);
    process.exit(2);
  });
}
