// Every scenario's verdict on broken and on fixed, through the real harness (service in its own
// process, HTTP, autocannon), at the quick scale, on each backend of the matrix.
import { expect } from 'chai';
import { DATABASE_URL, forEachBackend } from '../helpers/matrix';
import { runScenarios } from '../../harness/run';
import type { RunResult } from '../../harness/scenario';
import { SCENARIOS } from '../../scenarios/index';
import { EVIDENCE_KINDS, SCENARIO_EVIDENCE } from '../../exercise/parts';

forEachBackend((backend) => {
  describe('scenario verdicts (small scale)', function () {
    this.timeout(300_000);
    let run: RunResult;

    before(async () => {
      const options = { scale: 'small' as const, duration: 0.25, connections: 5, trials: 2, seed: 1 };
      run = await runScenarios(
        { ...options, scenarios: SCENARIOS, variants: ['broken', 'fixed'], backend, databaseUrl: DATABASE_URL },
        { ...options, date: new Date().toISOString(), commit: 'test', node: process.version, backend, variants: ['broken', 'fixed'], cores: 2, command: 'test' },
      );
    });

    for (const scenario of SCENARIOS) {
      it(`${scenario.id}: broken shows the bug (FAIL)`, () => {
        const result = run.results.find((r) => r.scenario === scenario.id && r.variant === 'broken')!;
        expect(result.verdict, result.reason).to.equal('FAIL');
      });

      const inconclusiveHere = backend === 'pg-mem' && scenario.id === 'concurrent-oversell';
      it(`${scenario.id}: fixed ${inconclusiveHere ? 'is INCONCLUSIVE (pg-mem serializes transactions)' : 'passes'}`, () => {
        const result = run.results.find((r) => r.scenario === scenario.id && r.variant === 'fixed')!;
        expect(result.verdict, result.reason).to.equal(inconclusiveHere ? 'INCONCLUSIVE' : 'PASS');
        if (inconclusiveHere) expect(result.settleWith).to.equal('embedded');
      });

      // The candidate's SOLUTION.md asks for these figures, and only these: they must be in the report.
      const declared = SCENARIO_EVIDENCE[scenario.id];
      it(`${scenario.id}: records the figures SOLUTION.md asks for (${declared?.kinds.join(', ') || 'no measurements, rows and observations'}) and no other kind`, () => {
        expect(declared, 'SCENARIO_EVIDENCE in exercise/parts.ts').not.to.equal(undefined);
        for (const variant of ['broken', 'fixed']) {
          const { evidence } = run.results.find((r) => r.scenario === scenario.id && r.variant === variant)!;
          expect(EVIDENCE_KINDS.filter((kind) => evidence[kind].length > 0), variant).to.deep.equal(declared!.kinds);
          expect(evidence.scaling.map((s) => s.title), variant).to.deep.equal(declared!.request ? [declared!.request] : []);
          if (declared!.kinds.length === 0) expect(evidence.tables.length + evidence.observations.length, variant).to.be.greaterThan(0);
        }
      });
    }
  });
});
