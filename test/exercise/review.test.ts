// `npm run review` on hand-made candidates: a partial fix, a fix that is fast but wrong, code that
// does not load, code that hangs, and (on PostgreSQL) an in-process lock against two processes.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import knexFactory from 'knex';
import { createSchema, probePostgres } from '../../harness/db/backends';
import { DEFAULT_DATABASE_URL, readEnvironment } from '../../harness/settings';
import { main, parseReview, UsageError } from '../../exercise/cli';
import { locateCandidate, renderReviewReports, reviewCandidates, ReviewError, selectScenarios, type ReviewOutcome } from '../../exercise/review';
import { PRIVATE_PATHS_NOTE } from '../../harness/sandbox';
import { handMadeReview } from './submission-support';
import type { Comparison, Review } from '../../exercise/rubric';
import { skipped } from '../helpers/matrix';
import { QUICK_REVIEW } from '../helpers/review';

const FIXTURES = resolve(__dirname, 'fixtures');
const HIDDEN_IDS = ['cancel-keeps-history', 'filters-odd-input', 'oversell-two-processes', 'analytics-price-change', 'summary-meaning', 'summary-after-writes'];

const QUICK = QUICK_REVIEW;

const byId = (review: Review) => Object.fromEntries(review.comparisons.map((c) => [c.scenario, c])) as Record<string, Comparison>;
const areas = (review: Review) => Object.fromEntries(review.areas.map((a) => [a.area, a.status]));

describe('exercise review', function () {
  this.timeout(600_000);
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'review-test-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  describe('finding what to review', () => {
    it('takes an exported repository, its variants/app folder, or a variant folder', () => {
      const repo = join(out, 'jane-doe');
      mkdirSync(join(repo, 'variants', 'app'), { recursive: true });
      writeFileSync(join(repo, 'variants', 'app', 'index.ts'), 'export default () => ({});\n');
      writeFileSync(join(repo, 'package.json'), '{}\n');
      writeFileSync(join(repo, 'exercise.json'), JSON.stringify({ parts: ['regression', 'feature'], features: ['filters', 'soft-delete'], timebox: '1 hour', chosen: 'soft-delete' }));
      const fromRepo = locateCandidate({ path: repo });
      expect(fromRepo).to.deep.include({ name: 'jane-doe', variantPath: join(repo, 'variants', 'app') });
      expect(fromRepo.assignment).to.deep.equal({ parts: ['regression', 'feature'], features: ['filters', 'soft-delete'], timebox: '1 hour', chosen: 'soft-delete' });
      // A choice that was not offered is no declaration: the rubric goes back to inferring it.
      for (const chosen of ['customer-orders', 'payments', null]) {
        writeFileSync(join(repo, 'exercise.json'), JSON.stringify({ parts: ['regression', 'feature'], features: ['filters', 'soft-delete'], timebox: '1 hour', chosen }));
        expect(locateCandidate({ path: repo }).assignment, String(chosen)).not.to.have.property('chosen');
      }
      expect(locateCandidate({ path: join(repo, 'variants', 'app') })).to.deep.include({ name: 'jane-doe', variantPath: join(repo, 'variants', 'app') });
      expect(locateCandidate({ path: join(FIXTURES, 'partial-fix') })).to.deep.include({ name: 'partial-fix', assignment: undefined });
      expect(locateCandidate({ path: resolve(__dirname, '../../variants/fixed') }).name).to.equal('candidate-fixed');
      // A candidate cannot take the name of the baseline's columns.
      expect(locateCandidate({ path: join(FIXTURES, 'partial-fix'), name: 'fixed' }).name).to.equal('candidate-fixed');
    });

    it('says what it expected when the folder holds no variant', () => {
      expect(() => locateCandidate({ path: join(out, 'nowhere') })).to.throw(ReviewError, 'no such folder');
      mkdirSync(join(out, 'empty'));
      expect(() => locateCandidate({ path: join(out, 'empty') })).to.throw(ReviewError, 'expected an exported repository (variants/app/index.ts) or a variant folder (index.ts)');
    });

    it('runs every public and hidden scenario unless told otherwise, and rejects unknown ones', () => {
      const all = selectScenarios({});
      expect(all.filter((s) => s.reproducesBug === false).map((s) => s.id)).to.have.members(HIDDEN_IDS);
      expect(all.filter((s) => s.reproducesBug !== false)).to.have.length.greaterThan(5);
      expect(selectScenarios({ publicOnly: true }).some((s) => s.reproducesBug === false)).to.equal(false);
      expect(selectScenarios({ scenarioIds: ['summary-meaning'], timeoutMs: 5000 })[0]).to.include({ id: 'summary-meaning', timeoutMs: 5000 });
      expect(() => selectScenarios({ scenarioIds: ['nope'] })).to.throw(ReviewError, 'unknown scenario "nope"');
    });

    it('rejects bad command lines with a usage error (exit 2)', async () => {
      expect(() => parseReview([])).to.throw(UsageError, '--candidate <dir> is required');
      expect(() => parseReview(['--candidate', 'x', '--db', 'mysql'])).to.throw(UsageError, '--db must be one of: pg-mem, postgres, embedded');
      expect(() => parseReview(['--candidate', 'x', '--scenario', 'nope'])).to.throw(UsageError, 'unknown scenario "nope"');
      expect(() => parseReview(['--candidate', 'a', '--candidate', 'b', '--name', 'n'])).to.throw(UsageError, '--name names one candidate');
      expect(() => parseReview(['--candidate', 'x', '--bogus'])).to.throw(UsageError);
      const parsed = parseReview(['--candidate', 'x', '--timeout', '2.5', '--duration', '0.5'], readEnvironment({}));
      expect(parsed).to.deep.include({ timeoutMs: 2500, duration: 0.5, backend: 'embedded', databaseUrl: DEFAULT_DATABASE_URL });
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args);
      try {
        expect(await main(['review'])).to.equal(2);
        expect(await main(['review', '--candidate', join(out, 'nowhere')])).to.equal(2);
        expect(await main(['shrug'])).to.equal(2);
      } finally {
        console.error = original;
      }
      expect(String(errors[0])).to.contain('--candidate <dir> is required');
    });
  });

  it("keeps the lab's private paths out of the candidate's Isolation line, and in the reviewers'", () => {
    const { run, review } = handMadeReview({ 'cancel-regression': { broken: {}, candidate: {} } });
    const statement = 'candidate code ran as uid 65534 (nobody): cannot write the lab nor its own code';
    run.header.isolation = `${statement}${PRIVATE_PATHS_NOTE}, the lab's exercise/hidden and variants/fixed included`;
    const { reviewer, candidate } = renderReviewReports(run, review);
    expect(reviewer).to.contain('exercise/hidden and variants/fixed');
    expect(candidate).to.contain(`**Isolation:** ${statement}`);
    expect(candidate).not.to.match(/exercise\/hidden|variants\/fixed/);
  });

  describe('three hand-made candidates, side by side on pg-mem', () => {
    let outcome: ReviewOutcome;
    const review = (name: string) => outcome.reviews.find((r) => r.candidate.name === name)!.review;

    before(async () => {
      outcome = await reviewCandidates({
        ...QUICK,
        candidates: ['partial-fix', 'fast-but-wrong', 'crash-on-import'].map((name) => ({ path: join(FIXTURES, name) })),
        scenarioIds: ['cancel-regression', 'cancel-keeps-history', 'filters', 'filters-odd-input', 'summary-n-plus-one', 'summary-meaning'],
        outDir: out,
      });
    });

    it('runs the original code, every candidate and the reference answer on every scenario', () => {
      expect(outcome.run.results).to.have.length(6 * 5);
      expect(outcome.baselineProblems).to.deep.equal([]);
    });

    it('a partial fix: cancel fixed at the root, filters hardened but still a query per order, the rest untouched', () => {
      const r = review('partial-fix');
      const t = byId(r);
      expect(t['cancel-regression']!.transition).to.equal('FAIL_TO_PASS');
      expect(t['cancel-keeps-history']!.transition).to.equal('FAIL_TO_PASS');
      expect(t['filters']!.transition).to.equal('STILL_FAILING');
      expect(t['filters-odd-input']!.transition).to.equal('FAIL_TO_PASS');
      expect(t['summary-n-plus-one']!.transition).to.equal('STILL_FAILING');
      expect(t['summary-meaning']!.transition).to.equal('PASS_TO_PASS');
      expect(areas(r)).to.deep.equal({ 'cancel-regression': 'fixed', filters: 'partially fixed', 'summary-n-plus-one': 'not fixed' });
      expect(r.areas.find((a) => a.area === 'filters')!.notes[0]).to.contain('hidden check `filters-odd-input` now passes, but still failing').and.contain('queries per order on the page');
      expect(r.regressions).to.deep.equal([]);
    });

    it('fast but wrong: the summary in one query passes in public and changes its meaning in the hidden check', () => {
      const r = review('fast-but-wrong');
      const t = byId(r);
      expect(t['summary-n-plus-one']!.transition).to.equal('FAIL_TO_PASS');
      expect(t['summary-n-plus-one']!.queries[0]!.growth).to.deep.equal({ broken: 'grows', candidate: 'constant', fixed: 'constant' });
      expect(t['summary-meaning']!.transition).to.equal('NEWLY_BROKEN');
      expect(t['summary-meaning']!.sides.candidate!.reason).to.contain("the summary's meaning changed");
      expect(areas(r)['summary-n-plus-one']).to.equal('partially fixed');
      expect(r.areas.find((a) => a.area === 'summary-n-plus-one')!.notes[0]).to.match(/^fast \(1 query at the largest size; the original: \d+ → \d+\) but wrong: hidden check `summary-meaning`/);
      expect(r.regressions.map((c) => c.scenario)).to.deep.equal(['summary-meaning']);
      expect(areas(r)['cancel-regression']).to.equal('not fixed');
    });

    it('code that crashes on import: every scenario ERROR with the import error, and the review goes on', () => {
      const r = review('crash-on-import');
      for (const c of r.comparisons) {
        expect(c.sides.candidate!.verdict, c.scenario).to.equal('ERROR');
        expect(c.sides.candidate!.reason).to.match(/failed to load: orders-v2 is not wired up yet \(half-finished refactor\)/);
        expect(c.sides.fixed!.verdict, c.scenario).to.equal('PASS');
      }
      expect(r.couldNotRun).to.contain('half-finished refactor');
      expect(r.areas.every((a) => a.status === 'not fixed')).to.equal(true);
      expect(r.regressions.map((c) => c.scenario)).to.deep.equal(['summary-meaning']);
    });

    it('writes a reviewer report with the rubric on top and a candidate report without the hidden scenarios', () => {
      const { files } = outcome.reviews.find((r) => r.candidate.name === 'fast-but-wrong')!;
      const reviewer = readFileSync(files.markdown, 'utf8');
      expect(reviewer.startsWith('# Review: fast-but-wrong\n')).to.equal(true);
      const rubric = reviewer.indexOf('## Rubric');
      expect(rubric).to.be.greaterThan(0).and.lessThan(reviewer.indexOf('## Scenario by scenario'));
      expect(reviewer.indexOf('## Scenario by scenario')).to.be.lessThan(reviewer.indexOf('## Regression Lab report'));
      expect(reviewer).to.contain('**partially fixed**').and.contain('summary-meaning').and.contain('### For the hiring decision');
      expect(reviewer).to.contain('Regressed: summary-meaning');

      const candidate = readFileSync(files.candidateMarkdown, 'utf8');
      for (const id of HIDDEN_IDS) expect(candidate, id).not.to.contain(id);
      expect(candidate).not.to.contain('## Rubric');
      expect(candidate).to.contain('| `summary-n-plus-one` | FAIL | PASS | PASS | FAIL_TO_PASS |');
      // The reference answer's own evidence (its SQL) stays with the reviewers.
      expect(reviewer).to.contain('with recent as');
      expect(candidate).not.to.contain('with recent as');

      const json = JSON.parse(readFileSync(files.json, 'utf8'));
      expect(json.header.variants).to.deep.equal(['broken', 'fast-but-wrong', 'fixed']);
      expect(json.review.regressions.map((c: Comparison) => c.scenario)).to.deep.equal(['summary-meaning']);
      expect(existsSync(join(out, 'review-partial-fix.md'))).to.equal(true);
      expect(existsSync(join(out, 'review-crash-on-import-candidate.md'))).to.equal(true);
    });
  });

  it('a candidate that hangs gets TIMEOUT for that scenario, within its time limit, and the review finishes', async () => {
    const started = performance.now();
    const outcome = await reviewCandidates({
      ...QUICK,
      candidates: [{ path: join(FIXTURES, 'hangs-on-cancel') }],
      scenarioIds: ['cancel-regression'],
      timeoutMs: 5_000,
      outDir: out,
    });
    const [only] = outcome.reviews;
    const comparison = only!.review.comparisons[0]!;
    expect(comparison.sides.candidate).to.deep.include({ verdict: 'TIMEOUT' });
    expect(comparison.sides.candidate!.reason).to.contain('no verdict within 5 s');
    expect(comparison.sides.fixed!.verdict).to.equal('PASS');
    expect(comparison.transition).to.equal('STILL_FAILING');
    expect(performance.now() - started).to.be.lessThan(60_000);
  });

  describe('on PostgreSQL', () => {
    const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    before(async function () {
      const probe = await probePostgres(url);
      if (probe.ok) return;
      const message = `PostgreSQL at ${url} did not answer (${probe.reason}): the review's two-process and credential tests were skipped`;
      if (!skipped.includes(message)) skipped.push(message);
      this.skip();
    });

    it('gives each service a login that reaches its own schema and no other', async () => {
      const mine = await createSchema(url, { ownRole: true });
      const theirs = await createSchema(url, { ownRole: true });
      const login = knexFactory({ client: 'pg', connection: mine.url, searchPath: [mine.schema], pool: { min: 0, max: 1 } });
      try {
        expect(new URL(mine.url).username).to.equal(mine.schema);
        expect(new URL(mine.url).username).not.to.equal(new URL(url).username);
        await login('tenants').insert({ id: 'mine', name: 'Mine' });
        expect(await login('tenants').count({ n: '*' })).to.deep.equal([{ n: '1' }]);
        let denied: Error | undefined;
        await login.raw('select * from ??.tenants', [theirs.schema]).catch((err: Error) => (denied = err));
        expect(denied?.message).to.match(/permission denied/);
      } finally {
        await login.destroy();
        await mine.drop();
        await theirs.drop();
      }
      const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      try {
        const { rows } = await admin.raw('select rolname from pg_roles where rolname in (?, ?)', [mine.schema, theirs.schema]);
        expect(rows).to.deep.equal([]);
      } finally {
        await admin.destroy();
      }
    });

    it('an in-process lock passes the public race and fails with two service processes on one database', async () => {
      const outcome = await reviewCandidates({
        ...QUICK,
        backend: 'postgres',
        databaseUrl: url,
        trials: 2,
        candidates: [{ path: join(FIXTURES, 'in-process-lock') }],
        scenarioIds: ['concurrent-oversell', 'oversell-two-processes'],
        outDir: out,
      });
      const r = outcome.reviews[0]!.review;
      const t = byId(r);
      expect(t['concurrent-oversell']!.transition).to.equal('FAIL_TO_PASS');
      expect(t['oversell-two-processes']!.sides.fixed!.verdict).to.equal('PASS');
      expect(t['oversell-two-processes']!.sides.candidate!.verdict).to.equal('FAIL');
      expect(t['oversell-two-processes']!.sides.candidate!.reason).to.contain('with two processes');
      expect(areas(r)['concurrent-oversell']).to.equal('partially fixed');
    });
  });
});
