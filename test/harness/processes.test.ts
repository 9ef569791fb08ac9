// `npm run scenario -- --processes 2`: the public oversell race split over two service processes
// on one database, as production runs the service. On PostgreSQL the evidence shows both
// processes, a lock inside one process fails, the reference passes; pg-mem says it cannot.
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, parseCli, PG_MEM_ONE_PROCESS, UsageError } from '../../harness/cli';
import type { RunResult } from '../../harness/scenario';
import { forEachBackend } from '../helpers/matrix';

const IN_PROCESS_LOCK = resolve(__dirname, '../exercise/fixtures/in-process-lock');
const out = () => join(mkdtempSync(join(tmpdir(), 'regression-lab-processes-')), 'run');

/** main() with its output caught: the exit code, what it wrote to stderr, and the report it wrote. */
async function scenario(argv: string[], deps: Parameters<typeof main>[1] = {}) {
  const path = out();
  const errors: string[] = [];
  const { error, log } = console;
  const write = process.stderr.write;
  console.error = (line: unknown) => void errors.push(String(line));
  console.log = () => {};
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await main([...argv, '--out', path], deps);
    const run = JSON.parse(readFileSync(`${path}.json`, 'utf8')) as RunResult;
    return { code, errors, run, markdown: readFileSync(`${path}.md`, 'utf8') };
  } finally {
    console.error = error;
    console.log = log;
    process.stderr.write = write;
  }
}

const observation = (run: RunResult, label: string) => run.results[0]!.evidence.observations.find((o) => o.label === label)?.value;
const PROCESSES_SEEN = "service processes taking the race's orders";

describe('npm run scenario -- --processes', () => {
  it('takes 1 to 8 processes, and refuses more than one on pg-mem, saying why', () => {
    expect(parseCli([]).processes).to.equal(1);
    expect(parseCli(['--processes', '2']).processes).to.equal(2);
    expect(parseCli(['--processes', '2', '--db', 'postgres']).processes).to.equal(2);
    expect(() => parseCli(['--processes', '0'])).to.throw(UsageError, '--processes must be a whole number above 0, at most 8');
    expect(() => parseCli(['--processes', '9'])).to.throw(UsageError, 'at most 8');
    expect(() => parseCli(['--processes', '2', '--db', 'pg-mem'])).to.throw(UsageError, `--processes 2 needs a database server: ${PG_MEM_ONE_PROCESS}; use --db embedded or --db postgres`);
    expect(parseCli(['--processes', '1', '--db', 'pg-mem']).processes).to.equal(1);
  });

  forEachBackend((backend) => {
    if (backend === 'pg-mem') {
      it('says so, in the output and in the report, when the embedded server falls back to pg-mem and the race runs on one process', async function () {
        this.timeout(120_000);
        const failing = async () => Promise.reject(new Error('no binaries for plan9-mips'));
        const { code, errors, run } = await scenario(['concurrent-oversell', '--variant', 'fixed', '--processes', '2', '--trials', '1'], { startEmbedded: failing });
        expect(code).to.equal(0);
        expect(errors).to.include(`--processes 2: ${PG_MEM_ONE_PROCESS}; the races run on one, and their reports say so`);
        const result = run.results[0]!;
        expect(result.verdict).to.equal('INCONCLUSIVE');
        expect(result.reason).to.contain('so the 2 service processes asked for ran as one');
        expect(result.evidence.caveats).to.include('2 service processes were asked for, but pg-mem keeps its database inside one process: the races ran on one');
        expect(observation(run, PROCESSES_SEEN)).to.equal(1);
      });
      return;
    }

    describe('on PostgreSQL', function () {
      this.timeout(300_000);
      const common = ['concurrent-oversell', '--db', backend, '--trials', '2'];

      it('the reference passes with the race split over two processes, and the report shows both', async () => {
        const { code, run, markdown } = await scenario([...common, '--variant', 'fixed', '--processes', '2']);
        const result = run.results[0]!;
        expect(result.verdict, result.reason).to.equal('PASS');
        expect(code).to.equal(0);
        expect(result.reason).to.contain('50 buyers for 5 units, split over 2 service processes');
        expect(run.header.processes).to.equal(2);
        expect(observation(run, PROCESSES_SEEN)).to.equal(2);
        expect(result.steps.map((s) => s.title)).to.include('Start 1 more process of the service on the same database');
        for (const trial of result.evidence.race) {
          expect(trial.acceptedByProcess).to.have.length(2);
          expect(trial.acceptedByProcess!.reduce((a, b) => a + b, 0)).to.equal(trial.accepted);
        }
        expect(markdown).to.contain('each split over 2 service processes on one database').and.contain('| Accepted per process |');
      });

      it('a lock inside one process passes the race on one process and fails it split over two', async () => {
        const one = await scenario([...common, '--variant', IN_PROCESS_LOCK]);
        expect(one.run.results[0]!.verdict, one.run.results[0]!.reason).to.equal('PASS');
        expect(one.run.header.processes).to.equal(undefined);
        expect(one.run.results[0]!.evidence.race.every((t) => t.acceptedByProcess === undefined)).to.equal(true);

        const two = await scenario([...common, '--variant', IN_PROCESS_LOCK, '--processes', '2']);
        const result = two.run.results[0]!;
        expect(result.verdict, result.reason).to.equal('FAIL');
        expect(two.code).to.equal(1);
        expect(result.reason).to.contain('split over 2 service processes');
        expect(observation(two.run, PROCESSES_SEEN)).to.equal(2);
      });
    });
  });
});
