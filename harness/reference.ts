// `npm run report:reference`: regenerates the reference reports SOLUTION.md cites (pg-mem and
// the default engine, the embedded PostgreSQL, at the three scales), then the evidence block of
// SOLUTION.md from them. It needs no server: the lab starts its own PostgreSQL.
// `--render-only` skips the runs and re-renders from the committed JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as runScenarioCli } from './cli';
import { renderEvidence, replaceEvidence, type ReferenceReport } from './report/evidence';
import { readReport } from './report/write';
import { parseFlags, runCommand, type CommandContext } from './settings';

const ROOT = join(__dirname, '..');

export const REFERENCE_RUNS = [
  { db: 'pg-mem', scale: 'small', duration: 1 },
  { db: 'pg-mem', scale: 'medium', duration: 1 },
  { db: 'pg-mem', scale: 'large', duration: 1 },
  { db: 'embedded', scale: 'small', duration: 3 },
  { db: 'embedded', scale: 'medium', duration: 3 },
  { db: 'embedded', scale: 'large', duration: 3 },
] as const;

export const referencePath = (r: (typeof REFERENCE_RUNS)[number]) => `reports/reference-${r.db}-${r.scale}`;

export function loadReferenceReports(): ReferenceReport[] {
  return REFERENCE_RUNS.map((r) => ({ path: `${referencePath(r)}.json`, run: readReport(join(ROOT, `${referencePath(r)}.json`)) }));
}

async function main(argv: string[], context: CommandContext): Promise<number> {
  const { values } = parseFlags(argv, { 'render-only': { type: 'boolean' } });
  if (!values['render-only']) {
    for (const r of REFERENCE_RUNS) {
      console.error(`\n== ${r.db}, scale ${r.scale}`);
      const code = await runScenarioCli(['--db', r.db, '--scale', r.scale, '--duration', String(r.duration), '--out', referencePath(r)], context);
      if (code !== 0) {
        console.error(`the ${r.db} ${r.scale} run did not behave as expected (exit ${code}); see ${referencePath(r)}.md`);
        return code;
      }
      const ran = readReport(join(ROOT, `${referencePath(r)}.json`)).header.backend;
      if (ran !== r.db) {
        console.error(`the ${r.db} run ran on ${ran} (the engine did not start): ${referencePath(r)} is not ${r.db} evidence`);
        return 1;
      }
    }
  }
  const solution = join(ROOT, 'SOLUTION.md');
  writeFileSync(solution, replaceEvidence(readFileSync(solution, 'utf8'), renderEvidence(loadReferenceReports())));
  console.error('SOLUTION.md evidence block re-rendered from the reference reports');
  return 0;
}

if (require.main === module) runCommand('report:reference', main);
