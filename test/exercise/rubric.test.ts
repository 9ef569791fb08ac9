// The rubric on hand-made results: which transition each scenario makes, and which verdict each
// area gets, without running anything.
import { expect } from 'chai';
import type { Evidence, Hazard, RunResult, ScenarioResult, Verdict } from '../../harness/scenario';
import { compareRun, pasteableSummary, renderRubric, transitionOf, type CompareOptions } from '../../exercise/rubric';

function evidence(queries?: number[]): Evidence {
  return {
    requests: [],
    observations: [],
    tables: [],
    shapes: [],
    scaling: queries
      ? [{ title: 'GET /x', points: queries.map((q, i) => ({ size: i + 1, label: `${i + 1} customers`, queries: q, ms: 1 })), growth: queries[queries.length - 1]! > queries[0]! * 1.5 + 2 ? 'grows' : 'constant' }]
      : [],
    load: [],
    race: [],
    caveats: [],
  };
}

function result(scenario: string, variant: string, verdict: Verdict, options: { hidden?: boolean; reason?: string; queries?: number[]; hazard?: Hazard } = {}): ScenarioResult {
  return {
    ...(options.hazard ? { hazard: options.hazard } : {}),
    scenario,
    title: `${scenario} title`,
    teaches: '',
    reproducesBug: !options.hidden,
    variant,
    verdict,
    reason: options.reason ?? `${verdict.toLowerCase()} on ${variant}`,
    durationMs: 1,
    steps: [],
    evidence: evidence(options.queries),
  };
}

function run(results: ScenarioResult[], backend: RunResult['header']['backend'] = 'pg-mem'): RunResult {
  return {
    header: { date: '2026-01-02T03:04:05.000Z', commit: 'abc', node: 'v20', databaseVersion: 'x', backend, variants: ['broken', 'cand', 'fixed'], cores: 2, scale: 'small', seed: 1, duration: 1, connections: 10, trials: 3, command: 'npm run review' },
    scenarios: [...new Set(results.map((r) => r.scenario))],
    results,
    complete: true,
  };
}

/** One scenario's three results: [broken, candidate, fixed] verdicts. */
function trio(scenario: string, verdicts: [Verdict, Verdict, Verdict], options: { hidden?: boolean; reason?: string; queries?: [number[], number[], number[]] } = {}): ScenarioResult[] {
  return (['broken', 'cand', 'fixed'] as const).map((variant, i) =>
    result(scenario, variant, verdicts[i]!, { hidden: options.hidden, queries: options.queries?.[i], reason: variant === 'cand' ? options.reason : undefined }),
  );
}

const OPTIONS: CompareOptions = {
  names: { broken: 'broken', candidate: 'cand', fixed: 'fixed' },
  deepens: { 'cancel-deep': 'cancel-regression', 'summary-deep': 'summary-n-plus-one', 'oversell-deep': 'concurrent-oversell' },
};

describe('exercise rubric', () => {
  it('names the transition from the original code to the candidate\'s', () => {
    const side = (verdict: Verdict) => ({ verdict, reason: '' });
    expect(transitionOf(side('FAIL'), side('PASS'))).to.equal('FAIL_TO_PASS');
    expect(transitionOf(side('PASS'), side('PASS'))).to.equal('PASS_TO_PASS');
    expect(transitionOf(side('FAIL'), side('FAIL'))).to.equal('STILL_FAILING');
    expect(transitionOf(side('FAIL'), side('ERROR'))).to.equal('STILL_FAILING');
    expect(transitionOf(side('PASS'), side('TIMEOUT'))).to.equal('NEWLY_BROKEN');
    expect(transitionOf(side('FAIL'), side('INCONCLUSIVE'))).to.equal('UNSETTLED');
    expect(transitionOf(side('FAIL'), undefined)).to.equal('NOT_RUN');
  });

  it('grades an area unsafe when a hidden check finds a hazard, though the public scenario passes, and says so first', () => {
    const review = compareRun(
      run([
        ...trio('summary-n-plus-one', ['FAIL', 'PASS', 'PASS']),
        result('summary-deep', 'broken', 'PASS', { hidden: true }),
        result('summary-deep', 'cand', 'FAIL', { hidden: true, reason: 'shop B saw 3 of shop A\'s orders', hazard: 'cross-shop access' }),
        result('summary-deep', 'fixed', 'PASS', { hidden: true }),
        ...trio('cancel-regression', ['FAIL', 'PASS', 'PASS']),
      ]),
      OPTIONS,
    );
    const status = Object.fromEntries(review.areas.map((a) => [a.area, a.status]));
    expect(status).to.deep.equal({ 'summary-n-plus-one': 'unsafe', 'cancel-regression': 'fixed' });
    const reviewer = renderRubric(review, 'reviewer');
    const warning = reviewer.indexOf('> **Unsafe: this code endangers data or other shops.**');
    expect(warning).to.be.greaterThan(-1).and.lessThan(reviewer.indexOf('## Rubric'));
    expect(reviewer).to.include("one shop can read or change another shop's data, in `summary-n-plus-one`: hidden check `summary-deep` FAIL: shop B saw 3 of shop A's orders");
    expect(pasteableSummary(review).split('\n')[1]).to.match(/^UNSAFE: summary-n-plus-one \(one shop can read/);
    // The candidate's copy never names a hidden check, not even to warn.
    expect(renderRubric(review, 'candidate')).not.to.include('Unsafe');
  });

  it('does not call the original code\'s hazards the candidate\'s', () => {
    const results = trio('cancel-regression', ['FAIL', 'PASS', 'PASS']);
    results[0] = { ...results[0]!, hazard: 'destroyed data' };
    const review = compareRun(run(results), OPTIONS);
    expect(review.areas[0]!.status).to.equal('fixed');
    expect(renderRubric(review, 'reviewer')).not.to.include('Unsafe');
  });

  it('grades the original\'s hazard, left in place, as not fixed and names it, without the Unsafe warning', () => {
    const results = trio('cancel-regression', ['FAIL', 'FAIL', 'PASS']);
    results[0] = { ...results[0]!, hazard: 'destroyed data' };
    results[1] = { ...results[1]!, reason: 'cancelling deleted the customer', hazard: 'destroyed data' };
    const review = compareRun(run(results), OPTIONS);
    expect(review.areas[0]).to.deep.include({ status: 'not fixed', notes: ['still as the original: it destroys data it must keep; FAIL: cancelling deleted the customer'] });
    expect(renderRubric(review, 'reviewer')).not.to.include('Unsafe');
  });

  it('tells the candidate about a hazard a public scenario found', () => {
    const results = trio('cancel-regression', ['FAIL', 'FAIL', 'PASS']);
    results[1] = { ...results[1]!, reason: 'cancelling deleted the customer and 4 orders', hazard: 'destroyed data' };
    const review = compareRun(run(results), OPTIONS);
    expect(review.areas[0]!.status).to.equal('unsafe');
    expect(renderRubric(review, 'candidate')).to.include('> **Unsafe: your code endangers data or other shops.**\n> - it destroys data it must keep, in `cancel-regression`: `cancel-regression` FAIL: cancelling deleted the customer and 4 orders');
  });

  it('calls an area fixed only when its public scenario and its hidden checks all pass', () => {
    const review = compareRun(run([...trio('cancel-regression', ['FAIL', 'PASS', 'PASS']), ...trio('cancel-deep', ['FAIL', 'PASS', 'PASS'], { hidden: true })]), OPTIONS);
    expect(review.areas).to.have.length(1);
    expect(review.areas[0]).to.include({ area: 'cancel-regression', status: 'fixed' });
    expect(review.comparisons.map((c) => c.transition)).to.deep.equal(['FAIL_TO_PASS', 'FAIL_TO_PASS']);
    expect(review.regressions).to.deep.equal([]);
  });

  it('calls an area partially fixed when the public scenario passes and a hidden check fails, and says why', () => {
    const review = compareRun(run([...trio('cancel-regression', ['FAIL', 'PASS', 'PASS']), ...trio('cancel-deep', ['FAIL', 'FAIL', 'PASS'], { hidden: true, reason: 'archiving deletes the customer' })]), OPTIONS);
    expect(review.areas[0]!.status).to.equal('partially fixed');
    expect(review.areas[0]!.notes.join(' ')).to.contain('cancel-deep').and.contain('archiving deletes the customer');
  });

  it('says "fast but wrong" when the queries stopped growing and the answer is still wrong', () => {
    const queries: [number[], number[], number[]] = [[8, 30, 93], [1, 1, 1], [1, 1, 1]];
    const hiddenWrong = compareRun(
      run([...trio('summary-n-plus-one', ['FAIL', 'PASS', 'PASS'], { queries }), ...trio('summary-deep', ['PASS', 'FAIL', 'PASS'], { hidden: true, reason: 'ranks all customers' })]),
      OPTIONS,
    );
    expect(hiddenWrong.areas[0]!.status).to.equal('partially fixed');
    expect(hiddenWrong.areas[0]!.notes[0]).to.match(/^fast \(1 query at the largest size; the original: 8 → 93\) but wrong: hidden check `summary-deep`/);
    // The hidden check passed on the original code: failing it now is a regression.
    expect(hiddenWrong.regressions.map((c) => c.scenario)).to.deep.equal(['summary-deep']);
    expect(hiddenWrong.counts).to.include({ FAIL_TO_PASS: 1, NEWLY_BROKEN: 1 });

    const publicWrong = compareRun(run(trio('summary-n-plus-one', ['FAIL', 'FAIL', 'PASS'], { queries, reason: 'the summary\'s answer is wrong' })), OPTIONS);
    expect(publicWrong.areas[0]!.status).to.equal('partially fixed');
    expect(publicWrong.areas[0]!.notes[0]).to.contain('fast').and.contain("but still failing: FAIL: the summary's answer is wrong");
  });

  it('calls an area not fixed when nothing about it changed', () => {
    const review = compareRun(run(trio('summary-n-plus-one', ['FAIL', 'FAIL', 'PASS'], { queries: [[8, 30, 93], [8, 30, 93], [1, 1, 1]] })), OPTIONS);
    expect(review.areas[0]!.status).to.equal('not fixed');
    expect(review.comparisons[0]!.transition).to.equal('STILL_FAILING');
  });

  it('leaves a race the backend cannot show unsettled, and says which backend settles it', () => {
    const review = compareRun(run([...trio('concurrent-oversell', ['FAIL', 'INCONCLUSIVE', 'INCONCLUSIVE']), ...trio('oversell-deep', ['INCONCLUSIVE', 'INCONCLUSIVE', 'INCONCLUSIVE'], { hidden: true })]), OPTIONS);
    expect(review.areas[0]!.status).to.equal('unsettled');
    expect(pasteableSummary(review)).to.contain('--db postgres');
    expect(review.comparisons.every((c) => c.transition === 'UNSETTLED')).to.equal(true);
    // INCONCLUSIVE from the reference is expected on pg-mem, not on PostgreSQL.
    expect(review.comparisons.some((c) => c.baselineWarning)).to.equal(false);
    const onPostgres = compareRun(run(trio('concurrent-oversell', ['FAIL', 'PASS', 'INCONCLUSIVE']), 'postgres'), OPTIONS);
    expect(onPostgres.comparisons[0]!.baselineWarning).to.contain('reference answer did not pass');
  });

  it('reports code that never loaded as such, once', () => {
    const reason = 'variant "x" failed to load: boom';
    const review = compareRun(
      run([...trio('cancel-regression', ['FAIL', 'ERROR', 'PASS'], { reason }), ...trio('summary-deep', ['PASS', 'ERROR', 'PASS'], { hidden: true, reason })]),
      OPTIONS,
    );
    expect(review.couldNotRun).to.equal(reason);
    expect(review.areas[0]).to.include({ status: 'not fixed' });
    expect(renderRubric(review, 'reviewer')).to.contain('**Could not run:**');
    expect(pasteableSummary(review)).to.contain('Could not run');
  });

  it('warns when the original code did not fail a public scenario', () => {
    const review = compareRun(run(trio('cancel-regression', ['PASS', 'PASS', 'PASS'])), OPTIONS);
    expect(review.comparisons[0]!.baselineWarning).to.contain('original code did not fail it');
    expect(review.comparisons[0]!.transition).to.equal('PASS_TO_PASS');
  });

  it('counts Part B options left alone as not chosen, and parts not handed out as not assigned', () => {
    const results = [...trio('filters', ['FAIL', 'PASS', 'PASS']), ...trio('soft-delete', ['FAIL', 'FAIL', 'PASS']), ...trio('seed-bulk', ['FAIL', 'FAIL', 'PASS'])];
    const review = compareRun(run(results), { ...OPTIONS, assignment: { parts: ['feature'], features: ['filters', 'soft-delete'] } });
    const status = Object.fromEntries(review.areas.map((a) => [a.area, a.status]));
    expect(status).to.deep.equal({ filters: 'fixed', 'soft-delete': 'not chosen', 'seed-bulk': 'not assigned' });
  });

  it('takes the Part B option exercise.json declares: the others are not chosen even when nothing was done, and work on them still counts', () => {
    const FEATURES = ['customer-orders', 'filters', 'soft-delete'] as const;
    const statuses = (verdicts: Record<(typeof FEATURES)[number], Verdict>, chosen?: (typeof FEATURES)[number]) => {
      const results = FEATURES.flatMap((id) => trio(id, ['FAIL', verdicts[id], 'PASS']));
      const review = compareRun(run(results), { ...OPTIONS, assignment: { parts: ['feature'], features: [...FEATURES], ...(chosen ? { chosen } : {}) } });
      return Object.fromEntries(review.areas.map((a) => [a.area, { status: a.status, note: a.notes[0] }]));
    };
    // Declared and not done yet: the others are still not chosen, where inference could not tell.
    expect(statuses({ 'customer-orders': 'FAIL', filters: 'FAIL', 'soft-delete': 'FAIL' }, 'filters')).to.deep.equal({
      'customer-orders': { status: 'not chosen', note: 'exercise.json declares "chosen": "filters"' },
      filters: { status: 'not fixed', note: 'the Part B option exercise.json declares' },
      'soft-delete': { status: 'not chosen', note: 'exercise.json declares "chosen": "filters"' },
    });
    expect(Object.values(statuses({ 'customer-orders': 'FAIL', filters: 'FAIL', 'soft-delete': 'FAIL' })).map((a) => a.status)).to.deep.equal(['not fixed', 'not fixed', 'not fixed']);
    // The declaration wins over the inference, and an option fixed besides keeps its credit.
    const both = statuses({ 'customer-orders': 'FAIL', filters: 'PASS', 'soft-delete': 'PASS' }, 'soft-delete');
    expect(Object.fromEntries(Object.entries(both).map(([area, a]) => [area, a.status]))).to.deep.equal({ 'customer-orders': 'not chosen', filters: 'fixed', 'soft-delete': 'fixed' });
    expect(both['soft-delete']!.note).to.equal('the Part B option exercise.json declares');
  });

  it('prints counts, milliseconds and ratios by the report\'s rules, the same as the run\'s markdown', () => {
    const results = trio('summary-n-plus-one', ['FAIL', 'PASS', 'PASS'], { queries: [[4, 31, 1204], [2, 2, 2], [1, 1, 1]] });
    const stats = (p50: number, p99: number) => ({ p50, p90: p99, p99, max: p99, rps: 10, requests: 10, errors: 0, timeouts: 0, non2xx: 0 });
    const load = (p50: number, p99: number) => ({ label: 'summary', path: '/x', size: '30 customers', rounds: [], median: stats(p50, p99) });
    results[0]!.evidence.load = [load(1204.4, 2417)];
    results[1]!.evidence.load = [load(9.95, 99.96)];
    results[2]!.evidence.load = [load(8, 40)];
    const rubric = renderRubric(compareRun(run(results), OPTIONS), 'reviewer');
    // Thousands grouped; a ratio below 1x keeps two decimals, above one decimal.
    expect(rubric).to.contain('| 4 → 1,204 | 2 | 1 | constant | 0.00x | 2.0x |');
    // ms: one decimal below 100, decided after rounding (99.96 is 100, 9.95 is 10.0).
    expect(rubric).to.contain('| 1,204 / 10.0 / 8.0 | 2,417 / 100 / 40.0 | 0.01x | 1.2x | 0.04x | 2.5x |');
  });

  it('puts the rubric first for reviewers and shows candidates nothing hidden', () => {
    const review = compareRun(
      run([...trio('cancel-regression', ['FAIL', 'PASS', 'PASS']), ...trio('cancel-deep', ['FAIL', 'FAIL', 'PASS'], { hidden: true, reason: 'secret detail' })]),
      OPTIONS,
    );
    const reviewer = renderRubric(review, 'reviewer');
    expect(reviewer.indexOf('## Rubric')).to.be.greaterThan(-1).and.lessThan(reviewer.indexOf('## Scenario by scenario'));
    expect(reviewer).to.contain('### For the hiring decision').and.contain('cancel-deep').and.contain('secret detail');
    const candidate = renderRubric(review, 'candidate');
    expect(candidate).not.to.contain('cancel-deep');
    expect(candidate).not.to.contain('secret detail');
    expect(candidate).not.to.contain('## Rubric');
    expect(candidate).to.contain('| `cancel-regression` | FAIL | PASS | PASS | FAIL_TO_PASS |');
  });
});
