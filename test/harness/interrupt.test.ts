// Ctrl-C in the middle of `npm run scenario` or `npm run review` on PostgreSQL: the command
// exits 130 and leaves no schema or role of its own behind.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DATABASE_URL, forEachBackend } from '../helpers/matrix';

const ROOT = join(__dirname, '../..');

/** Runs a command until its first scenario is under way (its first progress line and 3 s), then sends it SIGINT. */
async function interruptMidRun(script: string, args: string[]): Promise<{ pid: number; code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', DATABASE_URL },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve) =>
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/^\[1\/\d+\]/m.test(stderr)) resolve();
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { pid: child.pid!, code, stderr };
}

async function leftovers(pid: number): Promise<string[]> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const pattern = `regression\\_lab\\_${pid}\\_%`;
    const schemas = await client.query('select nspname as name from pg_namespace where nspname like $1', [pattern]);
    const roles = await client.query('select rolname as name from pg_roles where rolname like $1', [pattern]);
    return [...schemas.rows, ...roles.rows].map((r) => r.name);
  } finally {
    await client.end();
  }
}

forEachBackend((backend) => {
  if (backend !== 'postgres') return;
  describe('Ctrl-C during a run', function () {
    this.timeout(120_000);
    const out = mkdtempSync(join(tmpdir(), 'regression-lab-interrupt-'));

    it('npm run scenario drops its schemas and exits 130', async () => {
      const { pid, code, stderr } = await interruptMidRun('harness/cli.ts', ['summary-n-plus-one', '--db', 'postgres', '--variant', 'broken', '--out', join(out, 'scenario')]);
      expect(code, stderr).to.equal(130);
      expect(stderr).to.include('interrupted');
      expect(await leftovers(pid)).to.deep.equal([]);
    });

    it('npm run review drops its schemas and roles and exits 130', async () => {
      const { pid, code, stderr } = await interruptMidRun('exercise/cli.ts', [
        'review',
        '--candidate',
        join(ROOT, 'test/exercise/fixtures/partial-fix'),
        '--db',
        'postgres',
        '--scenario',
        'summary-n-plus-one',
        '--out',
        join(out, 'review'),
      ]);
      expect(code, stderr).to.equal(130);
      expect(await leftovers(pid)).to.deep.equal([]);
    });
  });
});
