// Every scenario against the code in variants/app, on the in-memory database. The scenario of an
// open incident fails, with its own reason as the message, until the incident is resolved. Where
// the in-memory database cannot decide (a race needs concurrent transactions) the scenario answers
// INCONCLUSIVE, which passes here: run it with a PostgreSQL backend to see the race itself.
// Where the exercise offers several feature options it asks for one: once exercise.json names the
// one you chose ("chosen"), the others are skipped, so that `npm test` can pass.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** The feature options offered, and the one exercise.json says the candidate chose. */
export function partBChoice(exercise: { features?: unknown; chosen?: unknown }): { offered: string[]; chosen?: string; problem?: string } {
  const offered = Array.isArray(exercise.features) ? exercise.features.map(String) : [];
  if (exercise.chosen === undefined || exercise.chosen === null) return { offered };
  if (typeof exercise.chosen === 'string' && offered.includes(exercise.chosen)) return { offered, chosen: exercise.chosen };
  return { offered, problem: `exercise.json: "chosen" must be one of ${offered.map((o) => `"${o}"`).join(', ')}, or null; it is ${JSON.stringify(exercise.chosen)}` };
}

const choice = partBChoice(JSON.parse(readFileSync(join(__dirname, '..', 'exercise.json'), 'utf8')));

describe('scenarios against variants/app (pg-mem)', function () {
  this.timeout(120_000);

  if (choice.problem) it('exercise.json names a feature option that is offered', () => expect.fail(choice.problem));

  for (const scenario of SCENARIOS) {
    if (choice.chosen && choice.offered.includes(scenario.id) && scenario.id !== choice.chosen) {
      it.skip(`${scenario.id}: not run, exercise.json declares "chosen": "${choice.chosen}" and the exercise asks for one feature option`, () => {});
      continue;
    }
    const undeclared = !choice.chosen && choice.offered.length > 1 && choice.offered.includes(scenario.id);
    it(scenario.id, async () => {
      const run = await runScenarios({ ...OPTIONS, scenarios: [scenario] }, HEADER);
      const result = run.results[0];
      if (!result) return expect.fail('the scenario did not run');
      if (result.verdict === 'PASS' || result.verdict === 'INCONCLUSIVE') return;
      const hint = undeclared ? ` (a feature option: name the one you chose in exercise.json, "chosen": one of ${choice.offered.map((o) => `"${o}"`).join(', ')}, and the others are skipped)` : '';
      expect.fail(`${result.verdict}: ${result.reason}${hint}`);
    });
  }
});
