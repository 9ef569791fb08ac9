// Every scenario against the code in variants/app, on the in-memory database. The scenario of an
// open incident fails, with its own reason as the message, until the incident is resolved. Where
// the in-memory database cannot decide (a race needs concurrent transactions) the scenario answers
// INCONCLUSIVE, which passes here: run it with a PostgreSQL backend to see the race itself.
import { expect } from 'chai';
import { runScenarios, type RunOptions } from '../harness/run';
import type { RunHeader } from '../harness/scenario';
import { SCENARIOS } from '../scenarios/index';

const OPTIONS: Omit<RunOptions, 'scenarios'> = {
  variants: ['app'],
  backend: 'pg-mem',
  databaseUrl: '',
  scale: 'small',
  // Short load rounds: the tests want verdicts; `npm run scenario` measures latency properly.
  duration: 0.25,
  connections: 5,
  trials: 2,
  seed: 1,
};

const HEADER: Omit<RunHeader, 'databaseVersion'> = {
  date: new Date().toISOString(),
  commit: 'test',
  node: process.version,
  backend: 'pg-mem',
  variants: ['app'],
  cores: 1,
  scale: 'small',
  seed: 1,
  duration: 0.25,
  connections: 5,
  trials: 2,
  command: 'npm test',
};

describe('scenarios against variants/app (pg-mem)', function () {
  this.timeout(120_000);

  for (const scenario of SCENARIOS) {
    it(scenario.id, async () => {
      const run = await runScenarios({ ...OPTIONS, scenarios: [scenario] }, HEADER);
      const result = run.results[0];
      if (!result) return expect.fail('the scenario did not run');
      if (result.verdict === 'PASS' || result.verdict === 'INCONCLUSIVE') return;
      expect.fail(`${result.verdict}: ${result.reason}`);
    });
  }
});
