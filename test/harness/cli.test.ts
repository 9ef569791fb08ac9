import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS, main, parseCli, UsageError } from '../../harness/cli';
import { behavedAsExpected } from '../../harness/run';
import type { RunResult, ScenarioResult } from '../../harness/scenario';

function silently<T>(run: () => Promise<T>): Promise<T> {
  const { error, log } = console;
  const write = process.stderr.write;
  console.error = () => {};
  console.log = () => {};
  process.stderr.write = (() => true) as typeof process.stderr.write;
  return run().finally(() => {
    console.error = error;
    console.log = log;
    process.stderr.write = write;
  });
}

describe('npm run scenario: options', () => {
  it('runs every scenario on both variants on pg-mem by default', () => {
    const options = parseCli([]);
    expect(options.scenarios.map((s) => s.id)).to.include.members(['cancel-regression', 'filters', 'concurrent-oversell', 'analytics-load']);
    expect(options.variants).to.deep.equal(['broken', 'fixed']);
    expect(options.backend).to.equal(DEFAULTS.db);
    expect(options.out).to.match(/reports\/pg-mem-all$/);
  });

  it('names the valid values when an option is wrong', () => {
    expect(() => parseCli(['--db', 'mysql'])).to.throw(UsageError, 'pg-mem, postgres, embedded');
    expect(() => parseCli(['--scale', 'huge'])).to.throw(UsageError, 'small, medium, large');
    expect(() => parseCli(['--variant', 'nope'])).to.throw(UsageError, 'broken, fixed');
    expect(() => parseCli(['no-such-scenario'])).to.throw(UsageError, 'cancel-regression');
    expect(() => parseCli(['--duration', '0'])).to.throw(UsageError, '--duration must be a number above 0');
    expect(parseCli(['--duration', '0.5']).duration).to.equal(0.5);
    expect(() => parseCli(['--trials', 'many'])).to.throw(UsageError, '--trials');
    expect(() => parseCli(['--colour'])).to.throw(UsageError);
  });

  it('names the report after the backend and the scenarios chosen', () => {
    expect(parseCli(['filters', 'notification', '--db', 'postgres']).out).to.match(/reports\/postgres-filters\+notification$/);
  });
});

describe('npm run scenario: exit codes', function () {
  this.timeout(120_000);
  const out = () => join(mkdtempSync(join(tmpdir(), 'regression-lab-cli-')), 'run');

  it('exits 2 on a usage error', async () => {
    expect(await silently(() => main(['--db', 'oracle']))).to.equal(2);
  });

  it('exits 0 when broken shows the bug and fixed passes, and writes the report', async () => {
    const path = out();
    expect(await silently(() => main(['notification', '--out', path]))).to.equal(0);
    const run = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as RunResult;
    expect(run.complete).to.equal(true);
    expect(run.results.map((r) => `${r.variant}:${r.verdict}`)).to.deep.equal(['broken:FAIL', 'fixed:PASS']);
    expect(readFileSync(`${path}.md`, 'utf8')).to.include('notification');
  });

  it('exits 1 when a single variant fails a scenario', async () => {
    expect(await silently(() => main(['notification', '--variant', 'broken', '--out', out()]))).to.equal(1);
  });
});

describe('what "behaved as expected" means', () => {
  const result = (variant: string, verdict: ScenarioResult['verdict']) => ({ variant, verdict }) as ScenarioResult;
  const run = (backend: 'pg-mem' | 'postgres', variants: string[], results: ScenarioResult[]) =>
    ({ header: { backend, variants }, results }) as unknown as RunResult;

  it('side by side, broken must fail and fixed must pass', () => {
    expect(behavedAsExpected(run('pg-mem', ['broken', 'fixed'], [result('broken', 'FAIL'), result('fixed', 'PASS')]))).to.equal(true);
    expect(behavedAsExpected(run('pg-mem', ['broken', 'fixed'], [result('broken', 'PASS'), result('fixed', 'PASS')]))).to.equal(false);
    expect(behavedAsExpected(run('pg-mem', ['broken', 'fixed'], [result('broken', 'FAIL'), result('fixed', 'ERROR')]))).to.equal(false);
  });

  it('accepts INCONCLUSIVE on pg-mem only', () => {
    expect(behavedAsExpected(run('pg-mem', ['fixed'], [result('fixed', 'INCONCLUSIVE')]))).to.equal(true);
    expect(behavedAsExpected(run('postgres', ['fixed'], [result('fixed', 'INCONCLUSIVE')]))).to.equal(false);
  });
});
