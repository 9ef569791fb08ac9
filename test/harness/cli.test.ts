import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULTS, main, parseCli, reportPath, UsageError } from '../../harness/cli';
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
  it('runs every scenario on both variants on the embedded PostgreSQL by default', () => {
    const options = parseCli([]);
    expect(options.scenarios.map((s) => s.id)).to.include.members(['cancel-regression', 'filters', 'concurrent-oversell', 'analytics-load']);
    expect(options.variants).to.deep.equal(['broken', 'fixed']);
    expect(DEFAULTS.db).to.equal('embedded');
    expect(options.backend).to.equal('embedded');
    expect(options.out).to.match(/reports\/embedded-all$/);
    expect(parseCli(['--db', 'pg-mem']).backend).to.equal('pg-mem');
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
    expect(run.results.map((r) => `${r.scenario} ${r.variant}:${r.verdict}`)).to.deep.equal(['notification broken:FAIL', 'notification fixed:PASS']);
    // The markdown is rendered from that JSON: its verdict matrix shows the same two verdicts.
    const matrix = readFileSync(`${path}.md`, 'utf8').split('\n## Verdicts\n')[1]!;
    expect(matrix).to.match(/^\| \[notification\]\(#notification\) \| \[FAIL\]\(#notification\) \| \[PASS\]\(#notification\) \|$/m);
    // The default engine, with a login only this run knows.
    expect(run.header.backend).to.equal('embedded');
    expect(run.header.databaseVersion).to.match(/^PostgreSQL \d+/);
    expect(run.header.engineFallback).to.equal(undefined);
    expect(run.header.databaseAuth).to.match(/^scram-sha-256: a wrong password for a role of its own is refused$/);
  });

  it('falls back to pg-mem when the embedded server cannot start, says why in one line, and the report names pg-mem', async () => {
    const path = out();
    const lines: string[] = [];
    const { error } = console;
    const failing = async () => Promise.reject(new Error('no binaries for plan9-mips'));
    const code = await silently(() => {
      console.error = (line: string) => void lines.push(String(line));
      return main(['notification', '--out', path], { startEmbedded: failing });
    }).finally(() => (console.error = error));
    expect(code).to.equal(0);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^warning: embedded PostgreSQL could not start: no binaries for plan9-mips\. Running on pg-mem instead, which cannot show races .*two service processes.*representative latency/);
    const run = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as RunResult;
    expect(run.header.backend).to.equal('pg-mem');
    expect(run.header.databaseVersion).to.match(/^pg-mem /);
    expect(run.header.engineFallback).to.match(/^embedded PostgreSQL could not start: no binaries for plan9-mips; pg-mem cannot show races/);
    expect(run.header.databaseAuth).to.equal(undefined);
    const markdown = readFileSync(`${path}.md`, 'utf8');
    expect(markdown).to.match(/^# Regression Lab report: pg-mem$/m);
    expect(markdown).to.include('- **Fell back to pg-mem:** embedded PostgreSQL could not start: no binaries for plan9-mips');
  });

  it('names the default report after the engine that ran', () => {
    const options = parseCli(['notification']);
    expect(options.outByBackend).to.equal(true);
    expect(options.out).to.equal(reportPath('embedded', 'notification'));
    expect(parseCli(['notification', '--out', 'x/y']).outByBackend).to.equal(false);
  });

  it('exits 1 when a single variant fails a scenario', async () => {
    expect(await silently(() => main(['notification', '--variant', 'broken', '--out', out()]))).to.equal(1);
  });

  it('appends the verdict matrix, without links into the report, to the --summary file (a CI job summary)', async () => {
    const path = out();
    const summary = `${path}-summary.md`;
    writeFileSync(summary, '# What an earlier step wrote\n\n');
    expect(await silently(() => main(['notification', '--variant', 'broken', '--db', 'pg-mem', '--out', path, '--summary', summary]))).to.equal(1);
    const text = readFileSync(summary, 'utf8');
    expect(text).to.match(/^# What an earlier step wrote\n\n## Verdicts\n\n\| Scenario \| broken \|\n\| --- \| --- \|\n\| notification \| FAIL \|\n\n`FAIL` /);
    expect(text.endsWith(`\n\nBackend: \`pg-mem\`. The full report: \`${relative(process.cwd(), path)}.md\`.\n`)).to.equal(true);
    expect(text).not.to.contain('](#');
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
