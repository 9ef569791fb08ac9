// A 5xx from the code under test is named in the reason, and no scenario that saw one passes.
import { expect } from 'chai';
import { join } from 'node:path';
import { runScenarios } from '../../harness/run';
import { defineScenario, type Outcome, type RunResult } from '../../harness/scenario';
import { withServerErrors } from '../../harness/server-errors';

const options = { scale: 'small' as const, duration: 1, connections: 2, trials: 1, seed: 1 };
const header = { ...options, date: '', commit: 'test', node: process.version, backend: 'pg-mem' as const, variants: [], cores: 2, command: 'test' };

/** A scenario that would pass on any answer: only the runner's rule can fail it. */
function listsCustomers(concludes: Outcome) {
  return defineScenario({
    id: `lists-customers-${concludes.verdict.toLowerCase()}`,
    title: 'lists customers',
    teaches: 'robustness',
    async run(ctx) {
      const tenant = await ctx.newTenant('list');
      await ctx.http.get('/api/customers', { tenant, quiet: true });
      return concludes;
    },
  });
}

describe('a 5xx from the code under test', function () {
  this.timeout(60_000);
  let run: RunResult;
  const passing = listsCustomers({ verdict: 'PASS', reason: 'listed' });
  const failing = listsCustomers({ verdict: 'FAIL', reason: 'wrong answer' });
  const unsettled = listsCustomers({ verdict: 'INCONCLUSIVE', reason: 'cannot tell', settleWith: 'embedded' });

  before(async () => {
    run = await runScenarios(
      {
        ...options,
        scenarios: [passing, failing, unsettled],
        variants: ['fixed', join(__dirname, 'fixtures/crashing-list')],
        backend: 'pg-mem',
        databaseUrl: '',
      },
      header,
    );
  });
  const result = (scenario: string, variant: string) => run.results.find((r) => r.scenario === scenario && r.variant.endsWith(variant))!;

  it('turns a PASS into a FAIL that names the status, the request and the message', () => {
    const { verdict, reason } = result(passing.id, 'crashing-list');
    expect(verdict).to.equal('FAIL');
    expect(reason).to.match(/^the service answered HTTP 500 to 1 request\(s\) \(first: GET \/api\/customers → 500/);
    expect(reason).to.include('otherwise it would have been PASS: listed');
  });

  it('keeps a FAIL, adding the 5xx to its reason', () => {
    expect(result(failing.id, 'crashing-list')).to.include({ verdict: 'FAIL' });
    expect(result(failing.id, 'crashing-list').reason).to.match(/^wrong answer; the service answered HTTP 500/);
  });

  it('fails an INCONCLUSIVE too: a crash shows on any engine', () => {
    expect(result(unsettled.id, 'crashing-list').verdict).to.equal('FAIL');
  });

  it('leaves the verdicts of code that answers without a 5xx alone', () => {
    expect(result(passing.id, 'fixed').verdict).to.equal('PASS');
    expect(result(failing.id, 'fixed')).to.include({ verdict: 'FAIL', reason: 'wrong answer' });
    expect(result(unsettled.id, 'fixed').verdict).to.equal('INCONCLUSIVE');
  });

  it('changes nothing when there was none', () => {
    const outcome: Outcome = { verdict: 'PASS', reason: 'fine' };
    expect(withServerErrors(outcome, [])).to.equal(outcome);
  });
});
