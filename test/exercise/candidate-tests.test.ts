// The review grades a candidate's own tests: hand-made submissions (the lab's export with the
// reference answer or the original code as variants/app, and a test or two of a candidate's) are
// graded as `npm run review` grades them, in a private temporary folder as an unpacked zip would be.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { buildExport } from '../../exercise/export';
import { HIDDEN_SCENARIOS } from '../../exercise/hidden/index';
import { FULL_ASSIGNMENT, type Assignment } from '../../exercise/parts';
import type { Review } from '../../exercise/rubric';
import type { SubmissionInput } from '../../exercise/submission/index';
import { digest, SHIPPED_FILE } from '../../exercise/shipped';
import { baselineFor } from '../../exercise/submission/baseline';
import { attribute, changedTestFiles, classify, DEFAULT_GRADING_OPTIONS, gradeCandidateTests, mergeRuns, renderTestGrading, type GradedTest, type GradingOptions, type TestGrading } from '../../exercise/submission/tests';
import { readMochaJson, type Outcome } from '../../exercise/submission/test-runs';
import { duration } from '../../harness/report/format';
import type { RunResult } from '../../harness/scenario';
import { planIsolation, type Isolation } from '../../harness/sandbox';

const LAB = resolve(__dirname, '../..');

/** A test file's opening: the service on pg-mem in process, as the exported contract test builds it. */
const PRELUDE = `import { expect } from 'chai';
import { buildApp } from '../service/app';
import { openPgMem } from '../harness/db/backends';
import { createQueryMeter } from '../harness/queries';
import { loadVariant } from '../variants/load';

async function service() {
  const db = await openPgMem();
  const app = buildApp({ variant: loadVariant('app'), knex: db.knex, meter: createQueryMeter(db.knex), dev: true, variantName: 'app', backendName: 'pg-mem' });
  await app.ready();
  const shop = async (id: string) => {
    await app.inject({ method: 'POST', url: '/tenants', payload: { id, name: id } });
    return (method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, headers: { 'x-tenant-id': id }, ...(payload ? { payload } : {}) });
  };
  return { shop, close: async () => (await app.close(), await db.close()) };
}
`;

/** Fails on the original code (the customer is deleted), passes on the reference answer. */
const CANCEL_TEST = `${PRELUDE}
describe('cancelling an order', () => {
  it('keeps the customer', async () => {
    const { shop, close } = await service();
    const request = await shop('a');
    const customer = (await request('POST', '/api/customers', { name: 'Ada', email: 'ada@example.com' })).json();
    const mug = (await request('POST', '/api/products', { sku: 'MUG', name: 'Mug', priceCents: 1200 })).json();
    const order = (await request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: mug.id, quantity: 1 }] })).json();
    expect((await request('POST', \`/api/orders/\${order.id}/cancel\`)).statusCode).to.equal(200);
    expect((await request('GET', \`/api/customers/\${customer.id}\`)).statusCode).to.equal(200);
    await close();
  });
});
`;

/** Appended to the exported contract test, inside its describe: fails on the original, passes on the reference. */
const TENANT_TEST = `
  it('does not show one shop an order of another (tenant isolation)', async () => {
    const a = await shop();
    const b = await shop();
    const customer = (await a.request('POST', '/api/customers', { name: 'Ada', email: 'ada@example.com' })).json();
    const mug = (await a.request('POST', '/api/products', { sku: 'MUG', name: 'Mug', priceCents: 1200 })).json();
    const order = (await a.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: mug.id, quantity: 1 }] })).json();
    expect((await b.request('GET', \`/api/orders/\${order.id}\`)).statusCode).to.equal(404);
  });
`;

/** Runs a public scenario through the exported harness, which forks the service: its packages must resolve there too. */
const SCENARIO_TEST = `import { expect } from 'chai';
import { runScenarios } from '../harness/run';
import { SCENARIOS } from '../scenarios/index';

describe('the cancel-regression scenario', function () {
  this.timeout(60_000);
  it('passes on this code', async () => {
    const scenario = SCENARIOS.find((s) => s.id === 'cancel-regression')!;
    const header = { date: '', commit: 'test', node: process.version, backend: 'pg-mem', variants: ['app'], cores: 1, scale: 'small', seed: 1, duration: 0.25, connections: 5, trials: 1, command: 'test' } as const;
    const run = await runScenarios({ scenarios: [scenario], variants: ['app'], backend: 'pg-mem', databaseUrl: '', scale: 'small', duration: 0.25, connections: 5, trials: 1, seed: 1 }, header);
    expect(run.results[0]!.verdict, run.results[0]!.reason).to.equal('PASS');
  });
});
`;

/** Passes on any code that starts: it guards nothing. */
const HEALTH_TEST = `${PRELUDE}
describe('the service', () => {
  it('creates a customer', async () => {
    const { shop, close } = await service();
    const request = await shop('a');
    expect((await request('POST', '/api/customers', { name: 'Ada', email: 'ada@example.com' })).statusCode).to.equal(201);
    await close();
  });
});
`;

/** Imports a file only their variant has: it cannot load on the original code. */
const FIX_ONLY_TEST = `import { expect } from 'chai';
import { answer } from '../variants/app/only-in-the-fix';

describe('a helper of the fix', () => {
  it('answers', () => expect(answer()).to.equal(42));
});
`;

/** A marker in the hanging file's name, so the test can look for a process it left behind. */
const HANG_MARK = `hang-${process.pid}`;
/** Never finishes, and starts a process of its own that would outlive mocha if only mocha were stopped. */
const HANG_TEST = `import { spawn } from 'node:child_process';

describe('waiting', function () {
  this.timeout(0);
  it('never finishes', () => {
    spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${HANG_MARK}'], { stdio: 'ignore' });
    return new Promise(() => setInterval(() => {}, 1000));
  });
});
`;

interface Made {
  repo: string;
  input: SubmissionInput;
}

/** The export for the full exercise as a candidate unpacks it, with their code and their test files. */
function makeSubmission(parent: string, name: string, isolation: Isolation, code: 'reference' | 'original', tests: Record<string, string | ((exported: string) => string)>, extra: Record<string, string> = {}): Made {
  const repo = join(parent, name);
  const { files } = buildExport({ lockfile: false });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  if (code === 'reference') {
    rmSync(join(repo, 'variants', 'app'), { recursive: true });
    cpSync(join(LAB, 'variants', 'fixed'), join(repo, 'variants', 'app'), { recursive: true });
  }
  for (const [path, text] of Object.entries({ ...extra, ...tests })) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), typeof text === 'string' ? text : text(files.get(path) ?? ''));
  }
  const assignment: Assignment = FULL_ASSIGNMENT;
  const input: SubmissionInput = { name, repo, variantPath: join(repo, 'variants', 'app'), assignment, review: {} as Review, run: {} as RunResult, isolation };
  return { repo, input };
}

/** The exported contract test with one more test at the end of its describe. */
const withTenantTest = (exported: string) => {
  const end = exported.lastIndexOf('});');
  return exported.slice(0, end) + TENANT_TEST + exported.slice(end);
};

describe("grading a candidate's own tests", function () {
  this.timeout(120_000);

  describe('classifying and attributing (no runs)', () => {
    it('takes a test file as theirs unless the digests their export shipped say it is as handed out', () => {
      // A template the lab has reworded since this export: kept as handed out, it is not theirs.
      const repo = mkdtempSync(join(tmpdir(), 'shipped-tests-'));
      try {
        mkdirSync(join(repo, 'test'), { recursive: true });
        mkdirSync(dirname(join(repo, SHIPPED_FILE)), { recursive: true });
        writeFileSync(join(repo, 'test', 'contract.test.ts'), "it('the template as it was', () => {});\n");
        writeFileSync(join(repo, 'test', 'mine.test.ts'), "it('keeps the customer', () => {});\n");
        writeFileSync(join(repo, SHIPPED_FILE), JSON.stringify({ files: { 'test/contract.test.ts': digest("it('the template as it was', () => {});\n") } }));
        expect(changedTestFiles(repo, baselineFor(FULL_ASSIGNMENT, repo).asShipped)).to.deep.equal(['test/mine.test.ts']);
        // Without the digests (an older export), today's export is the measure: the old template counts as theirs.
        rmSync(join(repo, SHIPPED_FILE));
        expect(changedTestFiles(repo, baselineFor(FULL_ASSIGNMENT, repo).asShipped)).to.deep.equal(['test/contract.test.ts', 'test/mine.test.ts']);
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
    });

    it('classifies each pair of outcomes', () => {
      const pairs: [Outcome, Outcome, GradedTest['kind']][] = [
        ['failed', 'passed', 'guards'],
        ['passed', 'passed', 'guards nothing'],
        ['passed', 'failed', 'fails on theirs'],
        ['failed', 'failed', 'fails on theirs'],
        ['pending', 'failed', 'fails on theirs'],
        ['pending', 'passed', 'skipped'],
        ['failed', 'pending', 'skipped'],
      ];
      for (const [original, candidate, kind] of pairs) expect(classify(original, candidate), `${original} then ${candidate}`).to.equal(kind);
    });

    it('attributes a test by the scenario id in its title or path, else by its words, else not at all', () => {
      const cases: [file: string, title: string, area: string | undefined][] = [
        ['test/misc.test.ts', 'orders summary-n-plus-one stays constant', 'summary-n-plus-one'],
        ['test/cancel_regression.test.ts', 'keeps the customer', 'cancel-regression'],
        ['test/misc.test.ts', 'cancelling an order does not delete the customer', 'cancel-regression'],
        ['test/misc.test.ts', 'cancelling an order of another tenant answers 404', 'tenant-isolation'],
        ['test/misc.test.ts', 'DELETE hides the order but keeps its items', 'soft-delete'],
        ['test/misc.test.ts', 'the id in the title wins: soft-delete, not a cancel', 'soft-delete'],
        ['test/misc.test.ts', 'creates a customer', undefined],
      ];
      for (const [file, title, area] of cases) expect(attribute(file, title), title).to.equal(area);
    });

    it('counts a test that ran on one side only as failed on the other, with that side\'s reason', () => {
      const ran = { tests: [{ title: 'keeps the customer', fullTitle: 'cancelling keeps the customer', outcome: 'passed' as const }] };
      const [test] = mergeRuns('test/cancel.test.ts', { tests: [], error: "gave no results (mocha ended with code 1): Error: Cannot find module '../variants/app/x'" }, ran);
      expect(test).to.deep.include({ original: 'failed', candidate: 'passed', kind: 'guards', area: 'cancel-regression' });
      expect(test!.originalError).to.match(/Cannot find module/);
      const [lost] = mergeRuns('test/cancel.test.ts', ran, { tests: [], error: 'did not finish within 5 s; stopped' });
      expect(lost).to.deep.include({ kind: 'fails on theirs', candidateError: 'did not finish within 5 s; stopped' });
    });

    it("reads a hook's failure in mocha's report as the file's error", () => {
      const run = readMochaJson({
        tests: [{ title: 'a', fullTitle: 's a', err: {} }],
        passes: [{ fullTitle: 's a' }],
        failures: [{ title: '"before all" hook for "b"', fullTitle: 's "before all" hook for "b"', err: { message: 'no database\nstack' } }],
        pending: [],
      });
      expect(run.tests).to.deep.equal([{ title: 'a', fullTitle: 's a', outcome: 'passed' }]);
      expect(run.error).to.equal('"before all" hook for "b" failed: no database');
    });
  });

  describe('hand-made submissions, run as the review runs them', () => {
    let parent: string;
    let isolation: Isolation;
    const options: GradingOptions = { ...DEFAULT_GRADING_OPTIONS, testTimeoutMs: 20_000, fileTimeLimitMs: 60_000 };
    const graded: Record<string, TestGrading> = {};
    const progress: string[] = [];

    before(async () => {
      parent = mkdtempSync(join(tmpdir(), 'candidate-tests-'));
      isolation = await planIsolation({ codeRoots: [], userName: 'nobody' });
      const submissions: Made[] = [
        makeSubmission(parent, 'guards', isolation, 'reference', { 'test/cancel.test.ts': CANCEL_TEST, 'test/contract.test.ts': withTenantTest, 'test/helper-of-the-fix.test.ts': FIX_ONLY_TEST, 'test/scenario.test.ts': SCENARIO_TEST }, { 'variants/app/only-in-the-fix.ts': 'export const answer = () => 42;\n' }),
        makeSubmission(parent, 'guards-nothing', isolation, 'reference', { 'test/service.test.ts': HEALTH_TEST }),
        makeSubmission(parent, 'fails-on-theirs', isolation, 'original', { 'test/cancel.test.ts': CANCEL_TEST }),
        // The exported tests as a Windows checkout leaves them: CRLF line endings are no change.
        makeSubmission(parent, 'no-tests', isolation, 'reference', { 'test/contract.test.ts': (exported) => exported.replace(/\n/g, '\r\n') }),
      ];
      for (const { input } of submissions) graded[input.name] = await gradeCandidateTests({ ...input, onProgress: (line) => progress.push(line) }, options);
    });

    after(() => rmSync(parent, { recursive: true, force: true }));

    it('a test that fails on the original code and passes on the fix guards its incident, and Part A hears yes', () => {
      const grading = graded['guards']!;
      expect(grading.status, grading.reason).to.equal('graded');
      expect(grading.files).to.have.members(['test/cancel.test.ts', 'test/contract.test.ts', 'test/helper-of-the-fix.test.ts', 'test/scenario.test.ts']);
      const cancel = grading.tests.find((t) => t.title === 'cancelling an order keeps the customer')!;
      expect(cancel).to.deep.include({ area: 'cancel-regression', original: 'failed', candidate: 'passed', kind: 'guards' });
      expect(cancel.originalError).to.match(/expected 404 to equal 200/);
      const tenant = grading.tests.find((t) => /tenant isolation/.test(t.title))!;
      expect(tenant).to.deep.include({ area: 'tenant-isolation', kind: 'guards' });
      expect(tenant.template).to.equal(undefined);
      expect(grading.incidents.filter((i) => i.guarded).map((i) => i.area)).to.have.members(['cancel-regression', 'tenant-isolation']);
      // The harness forks the service from the staged copy, as the sandbox user: it starts there, and fails the original.
      const scenario = grading.tests.find((t) => t.file === 'test/scenario.test.ts')!;
      expect(scenario).to.deep.include({ title: 'the cancel-regression scenario passes on this code', area: 'cancel-regression', kind: 'guards' });
      expect(scenario.originalError).to.match(/the customer was deleted/);
      const markdown = renderTestGrading(grading, 'reviewer');
      expect(markdown).to.match(/^## Their tests/);
      expect(markdown).to.include('- `cancel-regression`: yes, "cancelling an order keeps the customer" fails on the original code and passes on theirs.');
      expect(markdown).to.match(/- `tenant-isolation`: yes, /);
    });

    it('a file that does not load on the original code counts as failing there, test by test; it is said which tests no incident claims', () => {
      const grading = graded['guards']!;
      const helper = grading.tests.find((t) => t.file === 'test/helper-of-the-fix.test.ts')!;
      expect(helper).to.deep.include({ original: 'failed', candidate: 'passed', kind: 'guards', wholeFileOnOriginal: true });
      expect(helper.area).to.equal(undefined);
      expect(helper.originalError).to.match(/Cannot find module '..\/variants\/app\/only-in-the-fix'/);
      expect(grading.fileErrors).to.deep.equal([{ file: 'test/helper-of-the-fix.test.ts', original: helper.originalError }]);
      expect(grading.tests.filter((t) => t.wholeFileOnOriginal).map((t) => t.file)).to.deep.equal(['test/helper-of-the-fix.test.ts']);
      const reviewer = renderTestGrading(grading, 'reviewer');
      expect(reviewer).to.include('Not attributed to an incident (no scenario id or its words in the title or the file\'s path): 1 test(s)');
      expect(reviewer).to.include('Of the guards, 1 fail on the original only because their whole file does');
      expect(renderTestGrading(grading, 'candidate')).not.to.include('Of the guards');
    });

    it("a changed template's own tests run but are the lab's: listed as kept, not counted", () => {
      const grading = graded['guards']!;
      const kept = grading.tests.filter((t) => t.template);
      expect(kept.length).to.be.greaterThan(3);
      expect(kept.every((t) => t.file === 'test/contract.test.ts' && t.kind === 'guards nothing')).to.equal(true);
      expect(grading.guarding).to.equal(4);
      expect(grading.guardsNothing).to.equal(0);
      expect(renderTestGrading(grading, 'reviewer')).to.include(`${kept.length} test(s) kept from the exercise's own test files ran and are not counted`);
    });

    it('a test that passes on both guards nothing, and Part A hears no', () => {
      const grading = graded['guards-nothing']!;
      expect(grading.status, grading.reason).to.equal('graded');
      expect(grading.tests).to.have.length(1);
      expect(grading.tests[0]).to.deep.include({ title: 'the service creates a customer', original: 'passed', candidate: 'passed', kind: 'guards nothing' });
      expect(grading).to.deep.include({ guarding: 0, guardsNothing: 1, failingOnTheirs: 0 });
      expect(grading.incidents.every((i) => !i.guarded)).to.equal(true);
      const markdown = renderTestGrading(grading, 'candidate');
      expect(markdown).to.match(/^## Your tests/);
      expect(markdown).to.include('- `cancel-regression`: no, no test of yours about it fails on the original code and passes on yours.');
    });

    it('a test that fails on their own code is said to', () => {
      const grading = graded['fails-on-theirs']!;
      expect(grading.tests).to.have.length(1);
      expect(grading.tests[0]).to.deep.include({ original: 'failed', candidate: 'failed', kind: 'fails on theirs', candidateError: 'expected 404 to equal 200' });
      expect(grading).to.deep.include({ guarding: 0, failingOnTheirs: 1 });
      expect(grading.incidents.find((i) => i.area === 'cancel-regression')!.guarded).to.equal(false);
    });

    it('a submission with the exported tests only (line endings aside), or a bare variant folder, has no tests, with a sentence', async () => {
      expect(graded['no-tests']).to.deep.include({ status: 'no tests', reason: 'no test file under test/ was added or changed from the exported ones', files: [] });
      expect(renderTestGrading(graded['no-tests']!, 'candidate')).to.include('No tests to grade: no test file under test/ was added or changed from the exported ones.');
      const bare = await gradeCandidateTests({ name: 'bare', variantPath: join(LAB, 'variants', 'fixed'), assignment: FULL_ASSIGNMENT, review: {} as Review, run: {} as RunResult, isolation });
      expect(bare).to.deep.include({ status: 'no tests', reason: 'only a variant folder was sent' });
      // A repository without test/ at all, as a candidate may zip only what they changed.
      const { input } = makeSubmission(parent, 'no-test-folder', isolation, 'reference', {});
      rmSync(join(input.repo!, 'test'), { recursive: true });
      expect(await gradeCandidateTests(input)).to.deep.include({ status: 'no tests', reason: 'no test file under test/ was added or changed from the exported ones' });
    });

    it('says when grading starts and ends', () => {
      expect(progress.filter((line) => line.startsWith('guards: '))).to.deep.equal([
        'guards: running their 4 test file(s) on the original code and on theirs, as ' + (isolation.user ? `uid ${isolation.user.uid} (${isolation.user.name})` : "the reviewer's own user"),
        `guards: their tests graded in ${duration(graded['guards']!.seconds! * 1000)}: 4 guard(s), 0 guard nothing, 0 fail on theirs`,
      ]);
    });

    it("runs them as the review's sandbox user when there is one", function () {
      if (!isolation.user) this.skip();
      expect(graded['guards']!.ranAs).to.equal(`uid ${isolation.user!.uid} (${isolation.user!.name})`);
    });

    it('names no hidden scenario in either report', () => {
      for (const grading of Object.values(graded)) {
        for (const audience of ['reviewer', 'candidate'] as const) {
          const markdown = renderTestGrading(grading, audience);
          for (const hidden of HIDDEN_SCENARIOS) expect(markdown).not.to.include(hidden.id);
        }
      }
    });

    it('a test file that never finishes is stopped at the time limit, its processes with it, and the grading says it could not run', async () => {
      const { input } = makeSubmission(parent, 'hangs', isolation, 'reference', { [`test/${HANG_MARK}.test.ts`]: HANG_TEST });
      const started = Date.now();
      const grading = await gradeCandidateTests(input, { ...options, fileTimeLimitMs: 4_000 });
      expect(Date.now() - started).to.be.lessThan(30_000);
      expect(grading.status).to.equal('could not run');
      expect(grading.reason).to.equal(`test/${HANG_MARK}.test.ts did not finish within 4.0 s; stopped`);
      expect(renderTestGrading(grading, 'reviewer')).to.include(`Their tests could not be run: test/${HANG_MARK}.test.ts did not finish within 4.0 s; stopped.`);
      const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(HANG_MARK));
      expect(left).to.deep.equal([]);
    });
  });
});
