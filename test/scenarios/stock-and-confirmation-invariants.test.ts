// The invariant oracles of three incidents, proven both ways through the real harness: each one
// catches a hand-made wrong candidate (test/exercise/fixtures/) and passes the reference answer
// and, where there is one, a correct candidate in another style; broken still fails.
import { expect } from 'chai';
import { join, resolve } from 'node:path';
import type { BackendName } from '../../harness/db/backends';
import { runScenarios } from '../../harness/run';
import type { Hazard, RunResult, Scenario, ScenarioResult, Verdict } from '../../harness/scenario';
import { HIDDEN_SCENARIOS } from '../../exercise/hidden/index';
import { SCENARIOS } from '../../scenarios/index';
import { DATABASE_URL, forEachBackend } from '../helpers/matrix';

const FIXTURES = resolve(__dirname, '../exercise/fixtures');
const variantOf = (name: string) => (name === 'broken' || name === 'fixed' ? name : join(FIXTURES, name));

interface Expected {
  verdict: Verdict;
  reason?: RegExp;
  hazard?: Hazard;
}

/** Per scenario and backend: which candidate must get which verdict, and why. */
type Expectations = Partial<Record<BackendName, Record<string, Expected>>>;

const NOT_ON_PG_MEM: Expected = { verdict: 'INCONCLUSIVE', reason: /one transaction at a time/ };

const EXPECTED: Record<string, Expectations> = {
  notification: {
    'pg-mem': {
      broken: { verdict: 'FAIL', reason: /the send is not awaited/ },
      fixed: { verdict: 'PASS', reason: /6 placed orders \(5 of them at once\) got exactly one confirmation each, and the order refused with 409 got none/ },
      'double-send': { verdict: 'FAIL', reason: /^6 order\(s\) were confirmed more than once/ },
      // The one pg-mem connection is held by the transaction the send is made beside.
      'send-before-commit': { verdict: 'INCONCLUSIVE', reason: /answered 500 on pg-mem/ },
      // Marks the order as confirmed and never sends.
      'in-process-lock': { verdict: 'FAIL', reason: /^no confirmation went out for 6 of 6 placed orders/ },
    },
    postgres: {
      broken: { verdict: 'FAIL', reason: /the send is not awaited/ },
      fixed: { verdict: 'PASS', reason: /got exactly one confirmation each, and the order refused with 409 got none/ },
      'double-send': { verdict: 'FAIL', reason: /confirmed more than once/ },
      'send-before-commit': { verdict: 'FAIL', reason: /^1 confirmation\(s\) went out for an order that does not exist/ },
    },
  },
  'concurrent-oversell': {
    'pg-mem': {
      broken: { verdict: 'FAIL', reason: /stale cache/ },
      fixed: NOT_ON_PG_MEM,
      'same-product-lines': { verdict: 'FAIL', reason: /same product on two lines \(2 \+ 2\) was accepted against stock 3/ },
      'serializable-no-retry': NOT_ON_PG_MEM,
      'cas-no-retry': NOT_ON_PG_MEM,
      'row-lock': NOT_ON_PG_MEM,
    },
    postgres: {
      broken: { verdict: 'FAIL', reason: /stale cache/ },
      fixed: { verdict: 'PASS', reason: /^50 buyers for 5 units in 2 trials: 5 of 50 accepted each time, 45 refused with 409, stock 5 → 0, 0 errors; 10 buyers for 10 units in 2 trials: 10 of 10 accepted each time/ },
      'serializable-no-retry': { verdict: 'FAIL', reason: /buyers should get 201 or 409, got .*× 500/ },
      'cas-no-retry': { verdict: 'FAIL', reason: /10 buyers for 10 units: undersold/ },
      'same-product-lines': { verdict: 'FAIL', reason: /same product on two lines/ },
      'row-lock': { verdict: 'PASS', reason: /5 of 50 accepted each time/ },
      'serializable-retry': { verdict: 'PASS', reason: /5 of 50 accepted each time/ },
    },
  },
  'oversell-two-processes': {
    postgres: {
      broken: { verdict: 'FAIL', reason: /with two processes, .*oversold/ },
      fixed: { verdict: 'PASS', reason: /^across two processes, in 2 trials: 5 of 40 accepted each time, 35 refused with 409, stock 5 → 0, 0 errors$/ },
      'serializable-no-retry': { verdict: 'FAIL', reason: /with two processes, .*buyers should get 201 or 409/ },
    },
  },
  'tenant-isolation': Object.fromEntries(
    (['pg-mem', 'postgres'] as const).map((backend) => [
      backend,
      {
        broken: { verdict: 'FAIL', hazard: 'cross-shop access', reason: /GET \/api\/orders\/:id answered 200.*cancel answered 200 and changed shop A's customers, orders, items/ },
        fixed: { verdict: 'PASS', reason: /all 8 routes that take an id answered 404/ },
        'product-patch-leak': { verdict: 'FAIL', hazard: 'cross-shop access', reason: /^shop B reached shop A's data: PATCH \/api\/products\/:id answered 200 and changed shop A's products$/ },
        'customer-orders-leak': { verdict: 'FAIL', hazard: 'cross-shop access', reason: /^shop B reached shop A's data: GET \/api\/customers\/:id\/orders answered 200$/ },
      },
    ]),
  ),
  'cancel-regression': {
    'pg-mem': {
      broken: { verdict: 'FAIL', hazard: 'destroyed data', reason: /the customer was deleted/ },
      fixed: { verdict: 'PASS' },
    },
  },
};

const scenarioById = (id: string): Scenario => [...SCENARIOS, ...HIDDEN_SCENARIOS].find((s) => s.id === id)!;

forEachBackend((backend) => {
  const here = Object.entries(EXPECTED).filter(([, byBackend]) => byBackend[backend]);
  if (here.length === 0) return;

  describe('invariant oracles', function () {
    this.timeout(900_000);
    const runs = new Map<string, RunResult>();

    before(async () => {
      const options = { scale: 'small' as const, duration: 0.2, connections: 5, trials: 2, seed: 1 };
      for (const [id, byBackend] of here) {
        const variants = Object.keys(byBackend[backend]!).map(variantOf);
        runs.set(
          id,
          await runScenarios(
            { ...options, scenarios: [scenarioById(id)], variants, backend, databaseUrl: DATABASE_URL },
            { ...options, date: new Date().toISOString(), commit: 'test', node: process.version, backend, variants, cores: 2, command: 'test' },
          ),
        );
      }
    });

    for (const [id, byBackend] of here) {
      for (const [candidate, expected] of Object.entries(byBackend[backend]!)) {
        it(`${id}: ${candidate} is ${expected.verdict}${expected.hazard ? ` (${expected.hazard})` : ''}`, () => {
          const result: ScenarioResult = runs.get(id)!.results.find((r) => r.variant === variantOf(candidate))!;
          expect(result.verdict, result.reason).to.equal(expected.verdict);
          if (expected.reason) expect(result.reason).to.match(expected.reason);
          expect(result.hazard, result.reason).to.equal(expected.hazard);
          if (expected.verdict === 'INCONCLUSIVE') expect(result.settleWith).to.equal('embedded');
        });
      }
    }
  });
});
