// The order rules the candidate's README states (PRODUCT_RULES in scenarios/rules.ts), held to the
// checks: a decided rule is enforced (a hand-made variant that breaks it FAILs the check that
// covers it, and the reference passes); a rule left to the candidate is accepted every way it
// lists (a variant for each answer passes every check that could see the difference).
import { expect } from 'chai';
import { resolve } from 'node:path';
import { runScenarios } from '../../harness/run';
import type { ScenarioResult } from '../../harness/scenario';
import { HIDDEN_SCENARIOS } from '../../exercise/hidden/index';
import { SCENARIOS } from '../../scenarios/index';
import { PRODUCT_RULES, type RuleStanding } from '../../scenarios/rules';
import { DATABASE_URL, forEachBackend } from '../helpers/matrix';

const FIXTURES = resolve(__dirname, '../exercise/fixtures');
const QUICK = { scale: 'small' as const, duration: 0.2, connections: 5, trials: 1, seed: 1 };
const ALL = [...SCENARIOS, ...HIDDEN_SCENARIOS];

interface Proof {
  /** The checks that could see how the rule is answered. */
  scenarios: string[];
  /** Variants that keep the rule, each answering it its own way: every one passes every check above. */
  pass: string[];
  /** Variants that break the rule (what it decides, or what it requires either way), and what the check says. */
  fail: { variant: string; scenario: string; reason: RegExp }[];
}

// The reference accepts every write it is offered (200/204, and 409 for a shipped order);
// strict-order-states refuses each one left to the candidate; alt-rowlock cancels a shipped order.
const PROOFS: Record<string, Proof> = {
  'cancel-keeps-stock': {
    scenarios: ['cancel-keeps-history'],
    pass: ['fixed', 'alt-rowlock'],
    fail: [{ variant: 'cancel-returns-stock', scenario: 'cancel-keeps-history', reason: /cancelling changed the stock \(MUG 90 before, MUG 9[1-9] after\)/ }],
  },
  'repeat-cancel': { scenarios: ['cancel-regression', 'cancel-keeps-history', 'summary-after-writes'], pass: ['fixed', 'strict-order-states'], fail: [] },
  'cancel-shipped': { scenarios: ['cancel-regression', 'cancel-keeps-history', 'summary-after-writes'], pass: ['fixed', 'alt-rowlock'], fail: [] },
  'repeat-delete': {
    scenarios: ['soft-delete'],
    pass: ['fixed', 'strict-order-states'],
    fail: [{ variant: 'delete-restamps', scenario: 'soft-delete', reason: /^a second DELETE changed the deleted order: .*deletedAt "[^"]+" \(the first DELETE set "[^"]+"\)/ }],
  },
  'write-deleted': { scenarios: ['soft-delete', 'summary-after-writes', 'filters-odd-input', 'customer-orders'], pass: ['fixed', 'strict-order-states'], fail: [] },
  'seed-updated-at': { scenarios: ['seed-bulk'], pass: ['fixed', 'seed-stamps-now'], fail: [] },
};

/** A decided rule is only a rule if a check enforces it. */
const MUST_FAIL: Record<RuleStanding, boolean> = { decided: true, 'your call': false };

describe('the stated order rules, held to the checks', () => {
  it('has a proof for every rule the README states: decided ones enforced, the candidate\'s calls accepted each way', () => {
    expect(Object.keys(PROOFS).sort()).to.deep.equal(PRODUCT_RULES.map((r) => r.id).sort());
    for (const rule of PRODUCT_RULES) {
      const proof = PROOFS[rule.id]!;
      if (MUST_FAIL[rule.standing]) expect(proof.fail, `${rule.id} is ${rule.standing}: a variant that breaks it must fail a check`).not.to.deep.equal([]);
      expect(proof.pass.length, rule.id).to.be.greaterThanOrEqual(2);
    }
  });

  forEachBackend((backend) => {
    describe('through the real harness', function () {
      this.timeout(600_000);
      const results: ScenarioResult[] = [];
      const pathOf = (variant: string) => (variant === 'fixed' ? variant : resolve(FIXTURES, variant));

      before(async () => {
        // Each variant once, with every check some proof needs of it.
        const wanted = new Map<string, Set<string>>();
        for (const proof of Object.values(PROOFS)) {
          for (const variant of proof.pass) for (const id of proof.scenarios) (wanted.get(variant) ?? wanted.set(variant, new Set()).get(variant)!).add(id);
          for (const { variant, scenario } of proof.fail) (wanted.get(variant) ?? wanted.set(variant, new Set()).get(variant)!).add(scenario);
        }
        for (const [variant, ids] of wanted) {
          const paths = [pathOf(variant)];
          const run = await runScenarios(
            { ...QUICK, scenarios: [...ids].map((id) => ALL.find((s) => s.id === id)!), variants: paths, backend, databaseUrl: DATABASE_URL },
            { ...QUICK, date: new Date().toISOString(), commit: 'test', node: process.version, backend, variants: paths, cores: 2, command: 'test' },
          );
          results.push(...run.results.map((r) => ({ ...r, variant })));
        }
      });
      const result = (scenario: string, variant: string) => results.find((r) => r.scenario === scenario && r.variant === variant)!;
      // pg-mem cannot start a second process: a check that needs one says so, and that is no FAIL.
      const passing = backend === 'pg-mem' ? ['PASS', 'INCONCLUSIVE'] : ['PASS'];

      for (const rule of PRODUCT_RULES) {
        const proof = PROOFS[rule.id]!;
        it(`${rule.id} (${rule.standing}): ${proof.pass.join(' and ')} pass ${proof.scenarios.join(', ')}${proof.fail.length ? `; ${proof.fail.map((f) => f.variant).join(', ')} fails` : ''}`, () => {
          for (const variant of proof.pass) {
            for (const id of proof.scenarios) {
              const r = result(id, variant);
              expect(r.verdict, `${variant} on ${id}: ${r.reason}`).to.be.oneOf(passing);
            }
          }
          for (const { variant, scenario, reason } of proof.fail) {
            const r = result(scenario, variant);
            expect(r.verdict, `${variant} on ${scenario}: ${r.reason}`).to.equal('FAIL');
            expect(r.reason).to.match(reason);
          }
        });
      }
    });
  });
});
