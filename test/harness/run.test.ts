// A scenario that throws, hangs or kills the service gets ERROR or TIMEOUT, and the run goes on.
import { expect } from 'chai';
import { join } from 'node:path';
import { runScenarios } from '../../harness/run';
import { classifyGrowth } from '../../harness/context/scaling';
import { defineScenario, type RunResult } from '../../harness/scenario';
import notification from '../../scenarios/notification';

const options = { scale: 'small' as const, duration: 1, connections: 2, trials: 1, seed: 1 };
const header = { ...options, date: '', commit: 'test', node: process.version, backend: 'pg-mem' as const, variants: [], cores: 2, command: 'test' };

const throws = defineScenario({ id: 'throws', title: 'throws', teaches: 'robustness', run: async () => Promise.reject(new Error('the scenario tripped')) });
const hangs = defineScenario({ id: 'hangs', title: 'hangs', teaches: 'robustness', timeoutMs: 1_000, run: () => new Promise(() => {}) });
const pings = defineScenario({
  id: 'pings',
  title: 'pings',
  teaches: 'robustness',
  async run(ctx) {
    const tenant = await ctx.newTenant('ping');
    await ctx.http.get('/api/ping', { tenant });
    return { verdict: 'PASS', reason: 'ping answered' };
  },
});

describe('runScenarios when things go wrong', function () {
  this.timeout(120_000);
  let run: RunResult;
  const written: number[] = [];

  before(async () => {
    run = await runScenarios(
      { ...options, scenarios: [throws, hangs, pings, notification], variants: [join(__dirname, 'fixtures/suicidal-variant')], backend: 'pg-mem', databaseUrl: '' },
      header,
      { onResult: (partial) => written.push(partial.results.length) },
    );
  });

  const verdictOf = (id: string) => run.results.find((r) => r.scenario === id)!;

  it('records a scenario that throws as ERROR with its message', () => {
    expect(verdictOf('throws')).to.include({ verdict: 'ERROR', reason: 'the scenario tripped' });
  });

  it('records a scenario that hangs as TIMEOUT', () => {
    expect(verdictOf('hangs').verdict).to.equal('TIMEOUT');
    expect(verdictOf('hangs').reason).to.contain('no verdict within 1 s');
  });

  it('records a service that dies as ERROR with its exit code', () => {
    expect(verdictOf('pings').verdict).to.equal('ERROR');
    expect(verdictOf('pings').reason).to.contain('code 7');
  });

  it('goes on with the next scenario in a fresh service process', () => {
    expect(verdictOf('notification').verdict).to.equal('PASS');
  });

  it('hands over the run after every result, so an interrupted run keeps what it finished', () => {
    expect(written).to.deep.equal([1, 2, 3, 4, 4]);
    expect(run.complete).to.equal(true);
  });
});

describe('classifying query counts as constant or growing', () => {
  const points = (...pairs: [number, number][]) => pairs.map(([size, queries]) => ({ size, queries }));

  it('calls an N+1 growing', () => {
    expect(classifyGrowth(points([3, 8], [10, 26], [30, 93]))).to.equal('grows');
    expect(classifyGrowth(points([10, 22], [30, 62], [100, 202]))).to.equal('grows');
  });

  it('calls a fixed count, or chunked bulk writes, constant', () => {
    expect(classifyGrowth(points([3, 1], [10, 1], [30, 1]))).to.equal('constant');
    expect(classifyGrowth(points([30, 9], [100, 11], [300, 19]))).to.equal('constant');
  });
});

describe('runScenarios when the embedded server cannot start', function () {
  this.timeout(60_000);

  it('runs on pg-mem, says so once through onFallback, and the header names pg-mem and why', async () => {
    const lines: string[] = [];
    const run = await runScenarios(
      {
        ...options,
        scenarios: [pings],
        variants: ['fixed'],
        backend: 'embedded',
        databaseUrl: '',
        startEmbedded: () => Promise.reject(new Error('initdb: could not create shared memory segment')),
      },
      { ...header, backend: 'embedded' },
      { onFallback: (line) => lines.push(line) },
    );
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain('could not create shared memory segment').and.contain('Running on pg-mem instead');
    expect(run.header.backend).to.equal('pg-mem');
    expect(run.header.engineFallback).to.match(/^embedded PostgreSQL could not start: initdb: could not create shared memory segment; pg-mem cannot show /);
    expect(run.results.map((r) => r.verdict)).to.deep.equal(['PASS']);
  });
});
