// The invariant checks through the real harness, each proven both ways: a hand-made wrong variant
// (test/exercise/fixtures) it catches, the reference and correct variants in other styles it
// passes, and the original code still failing what it failed before. Small and quick settings.
import { expect } from 'chai';
import { resolve } from 'node:path';
import { DATABASE_URL, forEachBackend } from '../helpers/matrix';
import { runScenarios } from '../../harness/run';
import type { BackendName } from '../../harness/db/backends';
import type { RunResult, ScenarioResult } from '../../harness/scenario';
import { SCENARIOS } from '../../scenarios/index';
import { HIDDEN_SCENARIOS } from '../../exercise/hidden/index';

const FIXTURES = resolve(__dirname, '../exercise/fixtures');
const QUICK = { scale: 'small' as const, duration: 0.2, connections: 5, trials: 1, seed: 1 };
const ALL = [...SCENARIOS, ...HIDDEN_SCENARIOS];

/** broken and fixed by name, fixtures by folder; results come back under the name given here. */
async function run(backend: BackendName, scenarioIds: string[], variants: string[]): Promise<(scenario: string, variant: string) => ScenarioResult> {
  const paths = variants.map((v) => (v === 'broken' || v === 'fixed' ? v : resolve(FIXTURES, v)));
  const result: RunResult = await runScenarios(
    { ...QUICK, scenarios: scenarioIds.map((id) => ALL.find((s) => s.id === id)!), variants: paths, backend, databaseUrl: DATABASE_URL },
    { ...QUICK, date: new Date().toISOString(), commit: 'test', node: process.version, backend, variants: paths, cores: 2, command: 'test' },
  );
  return (scenario, variant) => result.results.find((r) => r.scenario === scenario && r.variant === paths[variants.indexOf(variant)])!;
}

forEachBackend((backend) => {
  describe('invariant checks', function () {
    this.timeout(600_000);

    describe('a soft delete is hidden from every read, and never destroys data', () => {
      let result: Awaited<ReturnType<typeof run>>;
      before(async () => {
        result = await run(backend, ['soft-delete', 'customer-orders'], ['broken', 'fixed', 'soft-delete-forgetful']);
      });

      it('the original DELETE fails soft-delete as destroyed data', () => {
        const broken = result('soft-delete', 'broken');
        expect(broken).to.deep.include({ verdict: 'FAIL', hazard: 'destroyed data' });
        expect(broken.reason).to.contain('gone for good').and.contain('1 order row(s) and 1 item row(s) were destroyed');
      });

      it('a rewrite that forgot deleted_at in the customer\'s orders and the summary fails both reads, with no hazard', () => {
        const forgetful = result('soft-delete', 'soft-delete-forgetful');
        expect(forgetful.verdict, forgetful.reason).to.equal('FAIL');
        expect(forgetful.hazard).to.equal(undefined);
        expect(forgetful.reason).to.match(/GET \/api\/customers\/\d+\/orders lists/).and.contain('the summary still counts it');
        const customerOrders = result('customer-orders', 'soft-delete-forgetful');
        expect(customerOrders.verdict, customerOrders.reason).to.equal('FAIL');
        expect(customerOrders.reason).to.match(/the deleted order #\d+ among them/);
      });

      it('the reference passes both; the original still fails customer-orders for its query per order', () => {
        for (const scenario of ['soft-delete', 'customer-orders']) expect(result(scenario, 'fixed').verdict, result(scenario, 'fixed').reason).to.equal('PASS');
        expect(result('customer-orders', 'broken').verdict, result('customer-orders', 'broken').reason).to.equal('FAIL');
        expect(result('customer-orders', 'broken').reason).to.contain('one query per order').and.not.contain('among them');
      });
    });

    describe('the summary follows every write, in every process', () => {
      let result: Awaited<ReturnType<typeof run>>;
      const twoProcesses = backend !== 'pg-mem';
      before(async () => {
        result = await run(backend, ['summary-after-writes'], ['broken', 'fixed', 'cached-summary', 'summary-cache-per-process', 'soft-delete-forgetful']);
      });

      it('an answer cached for a minute fails after the first write', () => {
        const cached = result('summary-after-writes', 'cached-summary');
        expect(cached.verdict, cached.reason).to.equal('FAIL');
        expect(cached.reason).to.contain('the summary does not follow the writes').and.contain('after: the last-ranked customer places a paid order');
      });

      it('a summary that forgot deleted_at fails after the soft delete only', () => {
        const forgetful = result('summary-after-writes', 'soft-delete-forgetful');
        expect(forgetful.verdict, forgetful.reason).to.equal('FAIL');
        expect(forgetful.reason).to.contain('1 answer(s) differ').and.contain('soft-deletes');
      });

      it(twoProcesses ? 'a cache dropped on writes in one process is stale in the second' : 'a cache dropped on writes in one process cannot be told from a fresh one (INCONCLUSIVE, settled by embedded)', () => {
        const perProcess = result('summary-after-writes', 'summary-cache-per-process');
        if (twoProcesses) {
          expect(perProcess.verdict, perProcess.reason).to.equal('FAIL');
          expect(perProcess.reason).to.contain('stale in a second process');
        } else {
          expect(perProcess).to.deep.include({ verdict: 'INCONCLUSIVE', settleWith: 'embedded' });
        }
      });

      it(`the reference and the original code answer from the data after every write${twoProcesses ? ', in both processes' : ''}`, () => {
        for (const variant of ['fixed', 'broken']) {
          const r = result('summary-after-writes', variant);
          expect(r.verdict, `${variant}: ${r.reason}`).to.equal(twoProcesses ? 'PASS' : 'INCONCLUSIVE');
        }
        // The original cancel deletes the customer, its DELETE the order: judged on what is left, not failed for it.
        const destroyed = result('summary-after-writes', 'broken').evidence.observations.filter((o) => o.label.startsWith('rows destroyed by'));
        expect(destroyed.map((o) => /an agent ([\w-]+)/.exec(o.label)?.[1])).to.deep.equal(['cancels', 'soft-deletes']);
        expect(result('summary-after-writes', 'fixed').evidence.observations.some((o) => o.label.startsWith('rows destroyed by'))).to.equal(false);
      });
    });

    describe('the email filter is never injectable', () => {
      let result: Awaited<ReturnType<typeof run>>;
      before(async () => {
        result = await run(backend, ['filters-odd-input'], ['broken', 'fixed', 'sql-injection', 'filters-escaped-ilike', 'filters-like-escape']);
      });

      it('text pasted into the SQL leaks another shop\'s orders and crashes on a lone quote: FAIL, hazard injection', () => {
        const injected = result('filters-odd-input', 'sql-injection');
        expect(injected).to.deep.include({ verdict: 'FAIL', hazard: 'injection' });
        expect(injected.reason).to.contain("email=' answered HTTP 500").and.match(/email=' or 'a'<>' returned \d+ order\(s\) of another shop/);
      });

      it('the original code fails for its wildcards, with no hazard', () => {
        const broken = result('filters-odd-input', 'broken');
        expect(broken.verdict, broken.reason).to.equal('FAIL');
        expect(broken.hazard).to.equal(undefined);
        expect(broken.reason).to.contain('email=% answered').and.not.contain('another shop');
      });

      it('the reference and escaped ILIKE pass; ILIKE … ESCAPE passes on PostgreSQL and is INCONCLUSIVE on pg-mem, which cannot parse it', () => {
        for (const variant of ['fixed', 'filters-escaped-ilike']) expect(result('filters-odd-input', variant).verdict, result('filters-odd-input', variant).reason).to.equal('PASS');
        const escape = result('filters-odd-input', 'filters-like-escape');
        if (backend === 'pg-mem') {
          expect(escape.verdict, escape.reason).to.equal('INCONCLUSIVE');
          expect(escape.settleWith).to.equal('embedded');
          expect(escape.reason).to.contain('does not run on pg-mem at all');
        } else {
          expect(escape.verdict, escape.reason).to.equal('PASS');
        }
      });
    });
  });
});
