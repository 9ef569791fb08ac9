// The cohort report: rendered from hand-made review JSON (a row per candidate, the similarity
// section), `merge`'s refusals, and a real three-candidate review on pg-mem whose cohort is the
// same, byte for byte, as the merge of its three JSON reports.
import { expect } from 'chai';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunResult, ScenarioResult, Verdict } from '../../harness/scenario';
import { main } from '../../exercise/cli';
import { buildCohort, CohortError, mergeReviews, parseReviewReport, readReviewReports, renderCohort, type ReviewReport, type ReviewTime } from '../../exercise/cohort';
import { locateCandidate, reviewCandidates, type ReviewOutcome } from '../../exercise/review';
import { compareRun } from '../../exercise/rubric';
import { referenceCode } from '../../exercise/similarity';
import type { SubmissionFindings } from '../../exercise/submission/index';
import { readSources } from '../../exercise/submission/sources';
import { QUICK_REVIEW } from '../helpers/review';
import { GRADED } from './submission-support';

const FIXTURES = resolve(__dirname, 'fixtures');

function result(scenario: string, variant: string, verdict: Verdict, hidden = false): ScenarioResult {
  return {
    scenario,
    title: `${scenario} title`,
    teaches: '',
    reproducesBug: !hidden,
    variant,
    verdict,
    reason: `${verdict.toLowerCase()} on ${variant}`,
    durationMs: 1,
    steps: [],
    evidence: { requests: [], observations: [], tables: [], shapes: [], scaling: [], load: [], race: [], caveats: [] },
  };
}

/** cancel-regression and its hidden check, and filters: the candidate's verdicts as given. */
function handMadeRun(name: string, date: string, verdicts: { cancel: Verdict; deep: Verdict; filters: Verdict }, backend: RunResult['header']['backend'] = 'pg-mem'): RunResult {
  return {
    header: { date, commit: 'abc1234', node: 'v20', databaseVersion: 'x', backend, variants: ['broken', name, 'fixed'], cores: 2, scale: 'small', seed: 1, duration: 1, connections: 10, trials: 1, command: 'npm run review' },
    scenarios: ['cancel-regression', 'cancel-keeps-history', 'filters'],
    results: [
      result('cancel-regression', 'broken', 'FAIL'),
      result('cancel-regression', name, verdicts.cancel),
      result('cancel-regression', 'fixed', 'PASS'),
      result('cancel-keeps-history', 'broken', 'PASS', true),
      result('cancel-keeps-history', name, verdicts.deep, true),
      result('cancel-keeps-history', 'fixed', 'PASS', true),
      result('filters', 'broken', 'FAIL'),
      result('filters', name, verdicts.filters),
      result('filters', 'fixed', 'PASS'),
    ],
    complete: true,
  };
}

const UNGRADED: SubmissionFindings = {
  tests: { status: 'no tests', files: [], tests: [], guarding: 0, guardsNothing: 0, failingOnTheirs: 0, incidents: [], fileErrors: [] },
  change: { files: [{ file: 'order-flows.ts', path: 'variants/app/order-flows.ts', status: 'modified', added: 3, removed: 5, replaced: 0.4, rewrite: false }], added: 3, removed: 5, areas: [], outside: [], flags: [], compared: 'repository', reference: { files: 7, added: 207, removed: 163, replaced: 0.3, other: { added: 67, removed: 33 } }, tests: [], writeUp: 'as exported', replaced: 0.01, notes: [] },
  solution: { found: false, sections: [], figures: [] },
};

function report(name: string, options: { date: string; verdicts: { cancel: Verdict; deep: Verdict; filters: Verdict }; submission: SubmissionFindings | null; sources: Record<string, string>; reviewTime?: ReviewTime; backend?: RunResult['header']['backend'] }): ReviewReport {
  const run = handMadeRun(name, options.date, options.verdicts, options.backend);
  const review = compareRun(run, { names: { broken: 'broken', candidate: name, fixed: 'fixed' }, deepens: { 'cancel-keeps-history': 'cancel-regression' } });
  // As a JSON report holds it: through JSON, undefined fields gone.
  return JSON.parse(JSON.stringify({ ...run, review, assignment: null, submission: options.submission, sources: options.sources, ...(options.reviewTime ? { reviewTime: options.reviewTime } : {}) }));
}

/** Alt-rowlock with its names changed: a copy a renamer hoped to hide. */
const renamed = (sources: Record<string, string>) =>
  Object.fromEntries(Object.entries(sources).map(([p, t]) => [p, t.replace(/\border\b/g, 'purchase').replace(/\btenant\b/g, 'shopId').replace(/\bknex\b/g, 'db').replace(/\btrx\b/g, 'tx')]));

describe('exercise cohort report', function () {
  this.timeout(120_000);
  const rowlock = readSources(join(FIXTURES, 'alt-rowlock'));
  const reports = () => [
    report('zoe', { date: '2026-03-02T10:00:00.000Z', verdicts: { cancel: 'PASS', deep: 'FAIL', filters: 'FAIL' }, submission: UNGRADED, sources: renamed(rowlock) }),
    report('amir', { date: '2026-03-01T10:00:00.000Z', verdicts: { cancel: 'PASS', deep: 'PASS', filters: 'PASS' }, submission: GRADED, sources: rowlock, reviewTime: { runSeconds: 95.4, sharedBy: 3, checksSeconds: 2.1 } }),
    report('kim', { date: '2026-03-01T11:00:00.000Z', verdicts: { cancel: 'FAIL', deep: 'PASS', filters: 'PASS' }, submission: null, sources: referenceCode(), reviewTime: { runSeconds: 12.5, sharedBy: 1, checksSeconds: 0.4 } }),
  ];

  describe('from hand-made review JSON', () => {
    let markdown: string;
    let cohort: Awaited<ReturnType<typeof buildCohort>>;
    before(async () => {
      cohort = await buildCohort(reports());
      markdown = renderCohort(cohort);
    });

    it('opens with the newest review\'s date, the backend, the scenario set and how many candidates, for reviewers only', () => {
      expect(markdown.startsWith('# Cohort review: 3 candidates\n')).to.equal(true);
      expect(markdown).to.contain('For reviewers only');
      expect(markdown).to.contain('Newest review: 2026-03-02T10:00:00.000Z. Backend: pg-mem. Lab commit: `abc1234`. Scenarios (3): `cancel-regression`, `cancel-keeps-history`, `filters`.');
      expect(cohort).to.deep.include({ date: '2026-03-02T10:00:00.000Z', backend: 'pg-mem', candidates: 3 });
    });

    it('has one row per candidate, by name: each area\'s status, regressions, tests, change size, SOLUTION.md, review time', () => {
      const table = markdown.split('\n').filter((l) => l.startsWith('| '));
      expect(table[0]).to.equal('| candidate | cancel-regression | filters | regressions | tests: guarding / guard nothing / fail on theirs | change | SOLUTION.md | review time |');
      expect(table[1]).to.equal('| amir | fixed | fixed | 0 | 3 / 1 / 0 | +192 −174 in 2 files; **rewritten:** orders.ts; 1 file changed outside variants/ | 1 of 2 sections missing, 1 figure off | 1 min 35 s (shared by 3) + 2.1 s |');
      // The hidden check passed on the original and fails on zoe's: a regression, and the area only partly fixed.
      // Review times read as every duration the lab prints (harness/report/format.ts): ms below a second.
      expect(table[2]).to.equal('| kim | not fixed | fixed | 0 | — | — | — | 12.5 s + 400 ms |');
      expect(table[3]).to.equal('| zoe | partially fixed | not fixed | 1: `cancel-keeps-history` | no tests | +3 −5 in 1 file | missing | — |');
      expect(cohort.rows.map((r) => r.candidate)).to.deep.equal(['amir', 'kim', 'zoe']);
      expect(cohort.rows[0]).to.deep.include({ regressions: [], solution: { found: true, sections: 2, sectionsMissing: 1, figuresOff: 1 } });
      expect(cohort.rows[0]!.change).to.deep.include({ rewritten: ['orders.ts'], flags: ['orders.ts was rewritten (94% of its lines replaced)'] });
      expect(cohort.rows[2]).to.deep.include({ regressions: ['cancel-keeps-history'], reviewTime: null });
    });

    it('shows the similarity of every pair, and the fragments of a copy and of a candidate who matches the reference', () => {
      const section = markdown.slice(markdown.indexOf('## Code similarity'));
      expect(section).to.contain('| | amir | kim | zoe | reference answer |');
      expect(section).to.match(/\| amir \| {2}\| \d+% \| \*\*\d+%\*\* \| \d+% \|/);
      expect(section).to.contain('2 pairs at or above the threshold:');
      expect(section).to.match(/### amir and zoe: \d+% similar/);
      expect(section).to.match(/### kim matches the reference answer: 100%/);
      expect(section).to.match(/1\. `[\w.-]+\.ts:\d+(-\d+)?` \(amir\) and `[\w.-]+\.ts:\d+(-\d+)?` \(zoe\), \d+ fingerprints:\n\n```ts\n/);
      expect(section).to.contain('shopId');
      // amir wrote the code zoe renamed, not the reference's.
      expect(section).not.to.match(/### (amir|zoe) matches the reference/);
      const flagged = cohort.similarity.pairs.filter((p) => p.flagged).map((p) => `${p.left}~${p.right}`);
      expect(flagged).to.deep.equal(['amir~zoe', 'kim~the reference answer']);
    });

    it('is the same whatever order the reviews come in', async () => {
      const again = await buildCohort(reports().reverse());
      expect(JSON.stringify(again)).to.equal(JSON.stringify(cohort));
    });
  });

  describe('merge', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'cohort-test-'));
      for (const r of reports()) writeFileSync(join(dir, `review-${r.review.candidate}.json`), JSON.stringify(r, null, 2) + '\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string) => join(dir, name);

    it('reads review JSON, and says in a sentence why a file is not one', () => {
      expect(readReviewReports([file('review-amir.json'), file('review-kim.json')]).map((r) => r.review.candidate)).to.deep.equal(['amir', 'kim']);
      expect(() => readReviewReports([])).to.throw(CohortError, 'merge needs at least one review-<name>.json');
      expect(() => readReviewReports([file('review-nobody.json')])).to.throw(CohortError, `no such file: ${file('review-nobody.json')}`);
      expect(() => parseReviewReport('{"header":', 'x.json')).to.throw(CohortError, 'x.json is not JSON');
      expect(() => parseReviewReport('{"header": {"date": "d", "backend": "pg-mem"}, "scenarios": [], "results": []}', 'run.json')).to.throw(
        CohortError,
        'run.json is not a review report (review-<name>.json from npm run review): it lacks a rubric ("review"), the candidate\'s sources, submission findings',
      );
      expect(() => parseReviewReport('[1, 2]', 'list.json')).to.throw(CohortError, 'list.json is not a review report (review-<name>.json from npm run review): it is not a JSON object');
      expect(() => parseReviewReport('{"kind": "regression-lab cohort"}', 'review-cohort.json')).to.throw(CohortError, 'review-cohort.json is a cohort report');
    });

    it('refuses the same candidate twice, and reviews on different backends or scenario sets', () => {
      copyFileSync(file('review-amir.json'), file('again-amir.json'));
      expect(() => readReviewReports([file('review-amir.json'), file('again-amir.json')])).to.throw(CohortError, `${file('review-amir.json')} and ${file('again-amir.json')} both review "amir"`);
      writeFileSync(file('other-db.json'), JSON.stringify(report('lee', { date: '2026-03-01T00:00:00.000Z', verdicts: { cancel: 'PASS', deep: 'PASS', filters: 'PASS' }, submission: null, sources: {}, backend: 'embedded' })));
      expect(() => readReviewReports([file('review-amir.json'), file('other-db.json')])).to.throw(CohortError, 'the reviews ran on different backends (pg-mem: review-amir.json; embedded: other-db.json)');
      const fewer = report('lee', { date: '2026-03-01T00:00:00.000Z', verdicts: { cancel: 'PASS', deep: 'PASS', filters: 'PASS' }, submission: null, sources: {} });
      writeFileSync(file('fewer.json'), JSON.stringify({ ...fewer, scenarios: ['cancel-regression'] }));
      expect(() => readReviewReports([file('review-amir.json'), file('fewer.json')])).to.throw(
        CohortError,
        /^the reviews ran different scenarios \(review-amir\.json: cancel-keeps-history, cancel-regression, filters; fewer\.json: cancel-regression\); .* with the same --scenario and --public-only options$/,
      );
      // Same backend, same scenarios in another order: one cohort.
      writeFileSync(file('reordered.json'), JSON.stringify({ ...fewer, scenarios: ['filters', 'cancel-keeps-history', 'cancel-regression'] }));
      expect(readReviewReports([file('review-amir.json'), file('reordered.json')])).to.have.length(2);
    });

    it('leaves out a cohort report that a glob caught, and says so', async () => {
      const out = join(dir, 'out');
      await mergeReviews([file('review-amir.json'), file('review-kim.json')], out);
      const notices: string[] = [];
      const reread = readReviewReports([file('review-amir.json'), join(out, 'review-cohort.json'), file('review-kim.json')], (m) => notices.push(m));
      expect(reread).to.have.length(2);
      expect(notices).to.deep.equal([`left out ${join(out, 'review-cohort.json')}: a cohort report, not a review`]);
    });

    it('on the command line: writes <out>/review-cohort.md and .json; exit 2 with the reason for files it cannot use', async () => {
      const out = join(dir, 'cli-out');
      const logged: string[] = [];
      const errors: string[] = [];
      const [log, error, write] = [console.log, console.error, process.stderr.write];
      console.log = (...args: unknown[]) => void logged.push(args.join(' '));
      console.error = (...args: unknown[]) => void errors.push(args.join(' '));
      process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
      try {
        expect(await main(['review', 'merge', file('review-amir.json'), file('review-kim.json'), file('review-zoe.json'), '--out', out])).to.equal(0);
        expect(await main(['review', 'merge'])).to.equal(2);
        expect(await main(['review', 'merge', file('missing.json')])).to.equal(2);
        expect(await main(['review', 'merge', file('review-amir.json'), file('again-amir.json')])).to.equal(2);
        expect(await main(['review', 'merge', '--help'])).to.equal(0);
      } finally {
        [console.log, console.error, process.stderr.write] = [log, error, write];
      }
      expect(readFileSync(join(out, 'review-cohort.md'), 'utf8')).to.equal(renderCohort(JSON.parse(readFileSync(join(out, 'review-cohort.json'), 'utf8'))));
      expect(logged[0]).to.equal(`Cohort of 3: ${join(out, 'review-cohort.md')} (reviewers only), ${join(out, 'review-cohort.json')}`);
      expect(errors.join('\n')).to.contain('Comparing the code of 3 submission(s)');
      expect(errors.join('\n')).to.contain('exercise: merge needs the review-<name>.json files to merge');
      expect(errors.join('\n')).to.contain(`exercise: no such file: ${file('missing.json')}`);
      expect(errors.join('\n')).to.contain('both review "amir"');
      expect(logged.join('\n')).to.contain('npm run review -- merge <review-name.json>... [--out <dir>]');
    });
  });

  it('keeps the cohort report\'s name for itself: a candidate called "cohort" is renamed', () => {
    expect(locateCandidate({ path: join(FIXTURES, 'partial-fix'), name: 'cohort' }).name).to.equal('candidate-cohort');
    expect(locateCandidate({ path: join(FIXTURES, 'partial-fix'), name: 'cohorts' }).name).to.equal('cohorts');
  });

  describe('a real three-candidate review on pg-mem, and the merge of its JSON reports', () => {
    let out: string;
    let outcome: ReviewOutcome;
    before(async () => {
      out = mkdtempSync(join(tmpdir(), 'cohort-review-'));
      outcome = await reviewCandidates({
        ...QUICK_REVIEW,
        candidates: ['alt-rowlock', 'partial-fix', 'alt-serializable'].map((name) => ({ path: join(FIXTURES, name) })),
        scenarioIds: ['cancel-regression'],
        outDir: join(out, 'together'),
      });
    });
    after(() => rmSync(out, { recursive: true, force: true }));

    it('writes review-cohort.md and .json beside the candidates\' reports, with the review time in each JSON', () => {
      expect(outcome.cohort).to.deep.equal({ json: join(out, 'together', 'review-cohort.json'), markdown: join(out, 'together', 'review-cohort.md') });
      const cohort = JSON.parse(readFileSync(outcome.cohort!.json, 'utf8'));
      expect(cohort.rows.map((r: { candidate: string }) => r.candidate)).to.deep.equal(['alt-rowlock', 'alt-serializable', 'partial-fix']);
      expect(cohort.rows.map((r: { areas: Record<string, string> }) => r.areas['cancel-regression'])).to.deep.equal(['fixed', 'fixed', 'fixed']);
      for (const { files, reviewTime } of outcome.reviews) {
        const json = JSON.parse(readFileSync(files.json, 'utf8'));
        expect(json.reviewTime).to.deep.equal(reviewTime);
        expect(reviewTime.sharedBy).to.equal(3);
        expect(reviewTime.runSeconds).to.be.above(0);
      }
      // Same run for all three: the same run time.
      expect(new Set(outcome.reviews.map((r) => r.reviewTime.runSeconds)).size).to.equal(1);
      const markdown = readFileSync(outcome.cohort!.markdown, 'utf8');
      expect(markdown).to.contain('| alt-rowlock | fixed | 0 |').and.contain('(shared by 3)').and.contain('## Code similarity');
      expect(markdown).to.contain('No pair at or above the threshold.');
    });

    it('leaves other candidates and the similarity out of every candidate\'s own report', () => {
      for (const { files, candidate } of outcome.reviews) {
        const text = readFileSync(files.candidateMarkdown, 'utf8');
        const others = outcome.reviews.map((r) => r.candidate.name).filter((n) => n !== candidate.name);
        for (const other of others) expect(text, `${candidate.name} sees ${other}`).not.to.contain(other);
        // (The header may name the lab's uncommitted files, exercise/similarity.ts among them: not these.)
        expect(text).not.to.match(/Code similarity|Cohort review|review-cohort|fingerprints|matches the reference answer/);
      }
    });

    it('the merge of the three JSON reports, written elsewhere, is the same cohort byte for byte', async () => {
      const elsewhere = join(out, 'machines');
      const inputs = outcome.reviews.map((r, i) => {
        mkdirSync(join(elsewhere, `m${i}`), { recursive: true });
        const copy = join(elsewhere, `m${i}`, `review-${r.candidate.name}.json`);
        copyFileSync(r.files.json, copy);
        return copy;
      });
      const { files } = await mergeReviews(inputs.reverse(), join(out, 'merged'));
      expect(readFileSync(files.json, 'utf8')).to.equal(readFileSync(outcome.cohort!.json, 'utf8'));
      expect(readFileSync(files.markdown, 'utf8')).to.equal(readFileSync(outcome.cohort!.markdown, 'utf8'));
    });

    it('writes no cohort for one candidate', async () => {
      const single = await reviewCandidates({
        ...QUICK_REVIEW,
        candidates: [{ path: join(FIXTURES, 'partial-fix') }],
        scenarioIds: ['cancel-regression'],
        outDir: join(out, 'single'),
      });
      expect(single.cohort).to.equal(undefined);
      expect(existsSync(join(out, 'single', 'review-cohort.md'))).to.equal(false);
      expect(single.reviews[0]!.reviewTime.sharedBy).to.equal(1);
    });
  });
});
