// SOLUTION.md checked, on hand-made write-ups: the sections the exported template asks for, and the
// figures quoted against a rubric built from a hand-made run (no service is started).
import { expect } from 'chai';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assignment } from '../../exercise/parts';
import { baselineFor } from '../../exercise/submission/baseline';
import { checkSolution, checkSolutionText, MS_TOLERANCE, renderSolutionCheck, requirements, type FigureCheck, type SolutionCheck } from '../../exercise/submission/solution';
import { exportedRepo, handMadeReview, submissionInput } from './submission-support';

const ASSIGNMENT: Assignment = { parts: ['regression', 'performance', 'design'], features: [], timebox: '2 hours' };
const TEMPLATE = baselineFor(ASSIGNMENT).files.get('SOLUTION.md')!;

// The summary measured at three sizes: the original's N+1 and a one-query fix, with load percentiles.
const MEASURED = handMadeReview({
  'summary-n-plus-one': { broken: { queries: [5, 12, 32], p50: 40, p99: 90 }, candidate: { queries: [1, 1, 1], p50: 4, p99: 9 } },
  'cancel-regression': { broken: {}, candidate: {} },
});

/** The template with every field, section and table filled in, as a thorough candidate would. */
function filled(template = TEMPLATE): string {
  return template
    .split('\n')
    .map((line) => {
      if (/^\s*- \*\*[^*]+\*\*/.test(line) || /^\d+\. /.test(line)) return `${line} Written by the candidate.`;
      if (/^\| (Queries|p50|Time|Race|What the report|Report)/.test(line)) return line.replace(/\| \| \|$/, '| see report | see report |');
      return line;
    })
    .join('\n')
    .replace(/(## Tradeoffs and follow-ups\n\n)/, '$1I left the index for later.\n')
    .replace(/(## AI usage\n\n)/, '$1None.\n');
}

const check = (text: string | undefined) => checkSolutionText(text, TEMPLATE, ASSIGNMENT, MEASURED);
const section = (result: SolutionCheck, name: string) => result.sections.find((s) => s.section === name)!;
const figure = (result: SolutionCheck, quote: string) => {
  const found = result.figures.filter((f) => f.quote.includes(quote));
  expect(found, `a figure quoting "${quote}" in ${JSON.stringify(result.figures.map((f) => f.quote))}`).to.have.length.greaterThan(0);
  return found;
};
const statuses = (figures: FigureCheck[]) => figures.map((f) => f.status);

/** A filled write-up with `text` added under the summary's table. */
const withSummaryText = (text: string) => filled().replace(/(\| `summary-n-plus-one` \| Before \| After \|[\s\S]*?\n\n)/, `$1${text}\n\n`);

describe('submission: SOLUTION.md checked', () => {
  describe('the sections the README asks for', () => {
    it('derives them from the template exported for the assignment: fields, before/after tables and free sections', () => {
      const names = requirements(TEMPLATE, ASSIGNMENT).map((r) => r.name);
      expect(names).to.include.members([
        'Time spent',
        'Root cause (`cancel-regression`)',
        'What changed, and why it is safe (`tenant-isolation`)',
        'Before/after evidence (`summary-n-plus-one`)',
        'Why the answer is the same as before (Make it fast, with evidence)',
        'Tradeoffs and follow-ups',
        'Runtime, and why (System design)',
        'Duplicate confirmations after the fix (Discussion)',
        'AI usage',
      ]);
      // Only what was assigned: no concurrency part here, no design part in a regression-only export.
      expect(names.some((n) => n.includes('concurrent-oversell'))).to.equal(false);
      const regressionOnly: Assignment = { parts: ['regression'], features: [], timebox: '1 hour' };
      const fewer = requirements(baselineFor(regressionOnly).files.get('SOLUTION.md')!, regressionOnly).map((r) => r.name);
      expect(fewer.some((n) => n.includes('Discussion') || n.includes('System design'))).to.equal(false);
    });

    it('names every section missing in an untouched template, and in a missing SOLUTION.md', () => {
      const untouched = check(TEMPLATE);
      expect(untouched).to.deep.include({ found: false, reason: 'SOLUTION.md is the template as exported', figures: [] });
      expect(untouched.sections.length).to.be.greaterThan(20);
      expect(untouched.sections.every((s) => !s.present && s.note === 'left as the template')).to.equal(true);
      const none = check(undefined);
      expect(none.found).to.equal(false);
      expect(none.sections.every((s) => !s.present && s.note === 'no SOLUTION.md')).to.equal(true);
      expect(renderSolutionCheck(none, 'candidate')).to.match(/no SOLUTION\.md was returned[\s\S]*Missing: Time spent;/);
    });

    it('counts every section present when each one is filled in', () => {
      const result = check(filled());
      expect(result.found).to.equal(true);
      expect(result.sections.filter((s) => !s.present)).to.deep.equal([]);
    });

    it('tells a section left as the template from one written in, the placeholder kept or not', () => {
      const text = filled()
        .replace('- **Root cause:** what broke, where, and why the cancel still answered 200. Written by the candidate.', '- **Root cause:** what broke, where, and why the cancel still answered 200.')
        .replace('I left the index for later.\n', '');
      const result = check(text);
      expect(section(result, 'Root cause (`cancel-regression`)')).to.deep.equal({ section: 'Root cause (`cancel-regression`)', present: false, note: 'left as the template' });
      expect(section(result, 'Tradeoffs and follow-ups')).to.deep.include({ present: false, note: 'left as the template' });
      // The placeholder kept, the answer written after it.
      expect(section(result, 'What changed, and why it is safe (`cancel-regression`)').present).to.equal(true);
      expect(section(result, 'Root cause (`tenant-isolation`)').present).to.equal(true);
    });

    it('names a section missing when its heading or label is gone, or its table is empty, and finds labels written other ways', () => {
      let text = filled()
        .replace(/### Another shop's orders \(`tenant-isolation`\)/, '### Tenancy')
        .replace('- **Time spent:** Written by the candidate.', '')
        .replace(/\| Queries for one `POST \/api\/dev\/seed`[^\n]*/, '| Queries for one `POST /api/dev/seed` at the report\'s three sizes | | |')
        .replace(/\| Time of that request[^\n]*/, '| Time of that request | | |')
        .replace(/\| Report \(`reports\/\.\.\.`\) \| see report \| see report \|(?=\n\n- \*\*What changed:\*\*)/, '| Report | | |');
      let result = check(text);
      expect(section(result, 'Root cause (`tenant-isolation`)')).to.deep.include({ present: false, note: 'heading "Another shop\'s orders (`tenant-isolation`)" not found' });
      expect(section(result, 'Time spent')).to.deep.include({ present: false, note: 'not found' });
      expect(section(result, 'Before/after evidence (`seed-bulk`)')).to.deep.include({ present: false, note: 'table left empty' });
      expect(section(result, 'Before/after evidence (`summary-n-plus-one`)').present).to.equal(true);

      // Tolerated: the colon outside the bold, a sub-heading for a field, a heading at another level or
      // without its scenario id, an answer under its number.
      text = filled()
        .replace('- **Root cause:** what broke, where, and why the cancel still answered 200. Written by the candidate.', '**Root cause**: the save hook deletes the customer.')
        .replace('- **Repro:** the command or test, and what it showed. Written by the candidate.', '#### Repro\n\n`npm run scenario -- cancel-regression` showed the customer gone.')
        .replace("### Another shop's orders (`tenant-isolation`)", '## Tenant isolation (tenant-isolation)')
        .replace('1. Duplicate confirmations after the fix: Written by the candidate.', '1. Look at the send log first.')
        .replace('### Cancelling an order (`cancel-regression`)', '### Cancelling an order');
      result = check(text);
      for (const name of ['Root cause (`cancel-regression`)', 'Repro (`cancel-regression`)', 'Root cause (`tenant-isolation`)', 'Duplicate confirmations after the fix (Discussion)']) {
        expect(section(result, name).present, name).to.equal(true);
      }
    });
  });

  describe('the figures it quotes', () => {
    it('finds the before/after table\'s figures consistent when they are what the review measured, and off when not', () => {
      const right = withSummaryText('').replace(/(\| Queries for one `GET \/api\/orders\/summary\?limit=N`[^|]*\|)[^\n]*/, '$1 5 / 12 / 32 | 1 / 1 / 1 |').replace(/(\| p50 and p99 under load \(ms\) \|)[^\n]*/, '$1 40 / 90 | 4 / 9 |');
      const ok = check(right);
      expect(statuses(figure(ok, '5 / 12 / 32'))).to.deep.equal(['consistent']);
      expect(statuses(figure(ok, '1 / 1 / 1'))).to.deep.equal(['consistent']);
      expect(statuses(figure(ok, '40 / 90'))).to.deep.equal(['consistent']);
      expect(statuses(figure(ok, '4 / 9'))).to.deep.equal(['consistent']);
      expect(figure(ok, '5 / 12 / 32')[0]).to.deep.include({ role: 'before', kind: 'queries', scenario: 'summary-n-plus-one', line: right.split('\n').findIndex((l) => l.includes('5 / 12 / 32')) + 1 });

      const wrong = check(right.replace('| 1 / 1 / 1 |', '| 1 / 1 / 3 |').replace('| 4 / 9 |', '| 40 / 9 |'));
      const queries = figure(wrong, '1 / 1 / 3')[0]!;
      expect(queries.status).to.equal('off');
      expect(queries.detail).to.equal('quotes 3 queries (nearest measured 1, off by 2)');
      expect(queries.measured).to.equal('the submitted code: 1 at 3 customers, 1 at 10 customers, 1 at 30 customers');
      const ms = figure(wrong, '(After): 40 / 9')[0]!;
      expect(ms.status).to.equal('off');
      expect(ms.detail).to.equal('quotes 40 ms (nearest measured 4.0 ms, 10.0x apart): more than the 3x that another machine and load explain');
      expect(ms.measured).to.equal('the submitted code: p50 4.0 ms (summary, 30 customers), p99 9.0 ms (summary, 30 customers)');
    });

    it('reads prose, arrows and bullet lists: a before figure against the original code, an after figure against the submitted code', () => {
      const ok = check(withSummaryText(['Summary queries: 32 → 1 at 30 customers.', '- before: 12 queries (summary)', '- after: 1 query (`summary-n-plus-one`)', 'Summary p50 went from 40 ms to 4 ms; p99 90ms -> 9ms.'].join('\n')));
      expect(figure(ok, '32 → 1').map((f) => [f.role, f.status])).to.deep.equal([['before', 'consistent'], ['after', 'consistent']]);
      expect(figure(ok, '12 queries').map((f) => [f.role, f.status])).to.deep.equal([['before', 'consistent']]);
      expect(figure(ok, '1 query').map((f) => [f.role, f.status])).to.deep.equal([['after', 'consistent']]);
      expect(statuses(figure(ok, '40 ms to 4 ms'))).to.deep.equal(['consistent', 'consistent']);
      expect(statuses(figure(ok, '90ms -> 9ms'))).to.deep.equal(['consistent', 'consistent']);
      // Seconds are read as milliseconds.
      const seconds = check(withSummaryText('The summary\'s p50 went from 0.04 s to 4 ms.'));
      expect(figure(seconds, '0.04 s to 4 ms').map((f) => [f.values, f.status])).to.deep.equal([[[40], 'consistent'], [[4], 'consistent']]);

      // The same shapes with figures the review did not measure.
      const off = check(withSummaryText(['Summary queries: 32 → 3 at 30 customers.', '- before: 40 queries (summary)', '- after: 2 queries (summary)', 'Summary p50 went from 40 ms to 40 ms.'].join('\n')));
      expect(figure(off, '32 → 3').map((f) => [f.role, f.status])).to.deep.equal([['before', 'consistent'], ['after', 'off']]);
      expect(figure(off, '40 queries')[0]).to.deep.include({ role: 'before', status: 'off' });
      expect(figure(off, '40 queries')[0]).to.deep.include({ detail: 'quotes 40 queries (nearest measured 32, off by 8)', measured: 'the original code: 5 at 3 customers, 12 at 10 customers, 32 at 30 customers' });
      expect(figure(off, '2 queries')[0]).to.deep.include({ role: 'after', status: 'off' });
      expect(figure(off, '40 ms to 40 ms').map((f) => [f.role, f.status])).to.deep.equal([['before', 'consistent'], ['after', 'off']]);
    });

    it(`holds milliseconds to within ${MS_TOLERANCE}x of what the review measured, either way`, () => {
      const within = check(withSummaryText(`After the fix the summary's p50 is ${4 * MS_TOLERANCE} ms and its p99 ${(9 / MS_TOLERANCE).toFixed(0)} ms.`));
      expect(statuses(within.figures.filter((f) => f.kind === 'ms'))).to.deep.equal(['consistent', 'consistent']);
      const beyond = check(withSummaryText(`After the fix the summary's p50 is ${4 * MS_TOLERANCE + 1} ms and its p99 ${(9 / (MS_TOLERANCE + 1)).toFixed(1)} ms.`));
      expect(statuses(beyond.figures.filter((f) => f.kind === 'ms'))).to.deep.equal(['off', 'off']);
      // On pg-mem the review's timings are not a database server's: nothing to hold them against.
      const onPgMem = checkSolutionText(withSummaryText('The summary\'s p50 is 400 ms.'), TEMPLATE, ASSIGNMENT, handMadeReview({ 'summary-n-plus-one': { broken: { queries: [5], p50: 40 }, candidate: { queries: [1], p50: 4 } } }, 'pg-mem'));
      expect(figure(onPgMem, '400 ms')[0]).to.deep.include({ status: 'unverifiable' });
      expect(figure(onPgMem, '400 ms')[0]!.detail).to.match(/ran on pg-mem/);
    });

    it('checks a request\'s time from the scaling table against the run\'s own timing of that request', () => {
      const seed = handMadeReview({ 'seed-bulk': { broken: { queries: [100, 300, 900], ms: [50, 150, 450] }, candidate: { queries: [5, 5, 5], ms: [10, 12, 15] } } });
      const withTimes = (before: string, after: string) => filled().replace(/(\| Time of that request[^|]*\|)[^\n]*/, `$1 ${before} | ${after} |`);
      const ok = checkSolutionText(withTimes('450', '15'), TEMPLATE, ASSIGNMENT, seed);
      expect(figure(ok, '(Before): 450')[0]).to.deep.include({ scenario: 'seed-bulk', kind: 'ms', status: 'consistent', measured: 'the original code: 50.0 ms for one request at 3 customers, 150 ms for one request at 10 customers, 450 ms for one request at 30 customers' });
      expect(figure(ok, '(After): 15')[0]).to.deep.include({ status: 'consistent' });
      const off = checkSolutionText(withTimes('4', '150'), TEMPLATE, ASSIGNMENT, seed);
      expect(figure(off, '(Before): 4')[0]).to.deep.include({ status: 'off', detail: 'quotes 4 ms (nearest measured 50.0 ms, 12.5x apart): more than the 3x that another machine and load explain' });
      expect(figure(off, '(After): 150')[0]).to.deep.include({ status: 'off' });
    });

    it('reads a table of the candidate\'s own with a queries column and before/after rows', () => {
      const table = (before: number, after: number) => ['### Summary (`summary-n-plus-one`) in numbers', '', '| | queries | p50 (ms) |', '| --- | --- | --- |', `| before | ${before} | 40 |`, `| after | ${after} | 4 |`].join('\n');
      const ok = check(filled().replace('## Tradeoffs and follow-ups', `${table(32, 1)}\n\n## Tradeoffs and follow-ups`));
      expect(figure(ok, 'before (queries): 32')[0]).to.deep.include({ role: 'before', status: 'consistent', scenario: 'summary-n-plus-one' });
      expect(figure(ok, 'after (queries): 1')[0]).to.deep.include({ role: 'after', status: 'consistent' });
      expect(figure(ok, 'after (p50 (ms)): 4')[0]).to.deep.include({ role: 'after', status: 'consistent' });
      const off = check(filled().replace('## Tradeoffs and follow-ups', `${table(32, 5)}\n\n## Tradeoffs and follow-ups`));
      expect(figure(off, 'after (queries): 5')[0]).to.deep.include({ status: 'off' });
    });

    it('marks unverifiable what the review did not measure: a scenario not run, one with no such figure, one not named', () => {
      const text = filled()
        .replace(/(\| `seed-bulk` \| Before \| After \|[\s\S]*?\n\n)/, '$1Seeding took 300 queries before.\n\nAfter the change: 12 queries.\n\n')
        .replace(/(\| `cancel-regression` \| Before \| After \|[\s\S]*?\n\n)/, '$1The cancel costs 4 queries.\n\n')
        .replace('I left the index for later.', 'The dashboard would take 2 queries with an index.');
      const result = check(text);
      expect(figure(result, '300 queries')[0]).to.deep.include({ scenario: 'seed-bulk', status: 'unverifiable', detail: '`seed-bulk` was not run in this review' });
      // Under Part C's heading, which holds two measured scenarios, a figure that names neither is tied to none.
      expect(figure(result, '12 queries')[0]).not.to.have.property('scenario');
      expect(figure(result, '12 queries')[0]!.status).to.equal('unverifiable');
      expect(figure(result, '4 queries')[0]).to.deep.include({ scenario: 'cancel-regression', status: 'unverifiable', detail: 'the review counts no queries for `cancel-regression`' });
      expect(figure(result, '2 queries')[0]!.status).to.equal('unverifiable');
      expect(figure(result, '2 queries')[0]!.detail).to.match(/names no scenario/);
      // The same figure tied to the scenario by naming it is checked.
      const named = check(text.replace('The dashboard would take 2 queries', 'The `summary-n-plus-one` dashboard takes 1 query'));
      expect(figure(named, '1 query')[0]).to.deep.include({ scenario: 'summary-n-plus-one', status: 'consistent' });
    });

    it('takes no figure from a row whose label only mentions queries in a note, and takes one from a row that counts them', () => {
      const text = filled().replace(/(\| What the report shows[^|]*\|)[^\n]*/, '$1 status 200, customer gone | status 200, 2 orders kept |');
      expect(check(text).figures.filter((f) => f.scenario === 'cancel-regression')).to.deep.equal([]);
      const counted = filled().replace(/(\| What the report shows[^|]*\|)[^\n]*/, '$1 4 queries | 3 queries |');
      expect(check(counted).figures.filter((f) => f.scenario === 'cancel-regression').map((f) => [f.role, f.status])).to.deep.equal([['before', 'unverifiable'], ['after', 'unverifiable']]);
    });

    it('leaves out numbers in code blocks and numbers that count other things', () => {
      const result = check(withSummaryText('```sh\nnpm run scenario -- summary-n-plus-one # 99 queries\n```\n\nWith 30 customers and 10x less time, the N+1 queries of the summary are gone; p50 ms fell.'));
      expect(result.figures).to.deep.equal([]);
      // Shown the other way: the same sentence with a figure in it.
      expect(check(withSummaryText('The summary\'s 32 queries are gone.')).figures.map((f) => f.quote)).to.deep.equal(['32 queries']);
    });
  });

  it('reads SOLUTION.md from the returned repository, and renders the same findings for reviewer and candidate', () => {
    const exported = exportedRepo({ parts: ASSIGNMENT.parts });
    try {
      const input = submissionInput({ repo: exported.repo, variantPath: join(exported.repo, 'variants', 'app'), assignment: { ...exported.assignment, timebox: ASSIGNMENT.timebox }, ...MEASURED });
      writeFileSync(join(exported.repo, 'SOLUTION.md'), withSummaryText('After: 3 queries for the summary.'));
      const result = checkSolution(input);
      expect(result.found).to.equal(true);
      expect(figure(result, '3 queries')[0]).to.deep.include({ status: 'off' });
      const reviewer = renderSolutionCheck(result, 'reviewer');
      const candidate = renderSolutionCheck(result, 'candidate');
      expect(reviewer).to.match(/^## SOLUTION\.md\n\n_The candidate's write-up/);
      expect(candidate).to.match(/^## SOLUTION\.md\n\n_Your write-up/);
      for (const text of [reviewer, candidate]) expect(text).to.include('| the submitted code: 1 at 3 customers, 1 at 10 customers, 1 at 30 customers | **off**: quotes 3 queries (nearest measured 1, off by 2) |');
      unlinkSync(join(exported.repo, 'SOLUTION.md'));
      expect(checkSolution(input)).to.deep.include({ found: false, reason: 'no SOLUTION.md was returned' });
      expect(checkSolution({ ...input, repo: undefined })).to.deep.include({ found: false, sections: [] });
      // A SOLUTION.md that cannot be read is said, not thrown.
      mkdirSync(join(exported.repo, 'SOLUTION.md'));
      expect(checkSolution(input).reason).to.match(/^SOLUTION\.md could not be checked: EISDIR/);
    } finally {
      rmSync(exported.repo, { recursive: true, force: true });
    }
  });
});
