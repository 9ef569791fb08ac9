// Two complete solutions written without seeing the reference answer, in styles unlike it and
// unlike each other (row locks and a LATERAL summary; SERIALIZABLE with retries and a query-builder
// summary). Every public and hidden scenario must pass them on PostgreSQL: a check that failed
// one would fail a correct candidate. On pg-mem, a scenario may say it cannot decide, never FAIL.
import { expect } from 'chai';
import { join } from 'node:path';
import { expectedVerdicts } from '../../harness/roles';
import { runScenarios } from '../../harness/run';
import type { RunResult } from '../../harness/scenario';
import { HIDDEN_SCENARIOS } from '../../exercise/hidden/index';
import { SCENARIOS } from '../../scenarios/index';
import { DATABASE_URL, forEachBackend } from '../helpers/matrix';

const QUICK = { scale: 'small' as const, duration: 0.2, connections: 5, trials: 1, seed: 1 };
const SOLUTIONS = ['alt-rowlock', 'alt-serializable'].map((name) => join(__dirname, 'fixtures', name));

forEachBackend((backend) => {
  describe('correct solutions in other styles', function () {
    this.timeout(600_000);
    let run: RunResult;

    before(async () => {
      run = await runScenarios(
        { ...QUICK, scenarios: [...SCENARIOS, ...HIDDEN_SCENARIOS], variants: SOLUTIONS, backend, databaseUrl: DATABASE_URL },
        { ...QUICK, date: new Date().toISOString(), commit: 'test', node: process.version, backend, variants: SOLUTIONS, cores: 2, command: 'test' },
      );
    });

    for (const solution of SOLUTIONS) {
      const name = solution.split('/').pop();
      it(`${name} ${backend === 'pg-mem' ? 'never FAILs, errors or times out' : 'passes every public and hidden scenario'}`, () => {
        const results = run.results.filter((r) => r.variant === solution);
        expect(results).to.have.length(SCENARIOS.length + HIDDEN_SCENARIOS.length);
        const allowed = expectedVerdicts('candidate', backend);
        const wrong = results.filter((r) => !allowed.includes(r.verdict)).map((r) => `${r.scenario}: ${r.verdict}: ${r.reason}`);
        expect(wrong, wrong.join('\n')).to.deep.equal([]);
      });
    }
  });
});
