// What a candidate's code can reach during `npm run review`: a hostile candidate, sent from a
// private temporary folder the way a zip is unpacked, tries every escape while it runs confined
// (and, to show the attempts are real, while it runs unconfined); and submissions are reviewed on
// the lab's packages, with or without node_modules of their own.
import { expect } from 'chai';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import knexFactory from 'knex';
import { confineCandidates, locateCandidate, reviewCandidates, type ReviewOutcome } from '../../exercise/review';
import { createSchema, probePostgres, type BackendName } from '../../harness/db/backends';
import { DEFAULT_DATABASE_URL } from '../../harness/settings';
import { collectHeader } from '../../harness/report/header';
import { renderMarkdown } from '../../harness/report/markdown';
import { runScenarios } from '../../harness/run';
import { findUser, planIsolation } from '../../harness/sandbox';
import type { RunResult, Scenario } from '../../harness/scenario';
import type { Attempt, HostileReport } from './fixtures/hostile/index';
import { skipped } from '../helpers/matrix';

const LAB = resolve(__dirname, '../..');
const FIXTURES = resolve(__dirname, 'fixtures');
const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const SETTINGS = { scale: 'small', duration: 0.25, connections: 5, trials: 1, seed: 1 } as const;
/** A setting of the reviewer's that no candidate may see. */
const REVIEWER_SECRET = 'REGRESSION_LAB_TEST_REVIEWER_TOKEN';

/** Asks the hostile candidate for its report: GET /tenants/<id> carries it as the shop's name. */
const askForReport: Scenario = {
  id: 'hostile-report',
  title: 'The hostile candidate says what it reached',
  teaches: 'isolation',
  async run(ctx) {
    const tenant = await ctx.newTenant('probe');
    const response = await ctx.http.get(`/tenants/${tenant}`);
    ctx.observe('report', String(response.body?.name));
    return { verdict: 'PASS', reason: 'reported' };
  },
};

/** An exported repository's shape in a folder only its owner can enter, as mkdtemp makes it. */
function sendAsRepository(parent: string, name: string, app: string): string {
  const repo = join(parent, name);
  mkdirSync(join(repo, 'variants'), { recursive: true });
  cpSync(app, join(repo, 'variants', 'app'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), '{ "name": "candidate", "private": true }\n');
  return repo;
}

interface HostileRun {
  run: RunResult;
  report: HostileReport;
  statement: string;
  markdown: string;
}

async function reviewHostile(parent: string, backend: BackendName, sandboxUser?: string | null): Promise<HostileRun> {
  const located = locateCandidate({ path: sendAsRepository(parent, `hostile-${backend}-${sandboxUser ?? 'nobody'}`, join(FIXTURES, 'hostile')) });
  const confined = await confineCandidates([located], sandboxUser);
  try {
    const header = await collectHeader({ backend, variants: confined.paths, ...SETTINGS, argv: [], isolation: confined.isolation.statement });
    // The same options reviewCandidates passes: own schema role, confinement by variant path.
    const run = await runScenarios(
      { scenarios: [askForReport], variants: confined.paths, backend, databaseUrl: DATABASE_URL, ...SETTINGS, isolateCredentials: true, confinement: confined.confinement },
      header,
    );
    const result = run.results[0]!;
    expect(result.verdict, result.reason).to.equal('PASS');
    const report = JSON.parse(String(result.evidence.observations[0]!.value)) as HostileReport;
    return { run, report, statement: confined.isolation.statement, markdown: renderMarkdown(run) };
  } finally {
    confined.remove();
  }
}

const FILE_ESCAPES = ['readReviewerEnvironment', 'readInitEnvironment', 'databaseSettingsInEnvironment', 'writeLab', 'writeOwnFolder'];
const achieved = (attempts: Record<string, Attempt>, names: string[]) => names.filter((name) => attempts[name]?.achieved);

describe('candidate isolation', function () {
  this.timeout(600_000);
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'isolation-test-'));
    process.env[REVIEWER_SECRET] = 'secret-of-the-reviewer';
  });
  after(() => {
    delete process.env[REVIEWER_SECRET];
    rmSync(out, { recursive: true, force: true });
  });

  describe('confined as nobody', () => {
    before(function () {
      if (process.getuid?.() === 0 && findUser('nobody')) return;
      const message = 'the lab does not run as root (or has no user nobody): the confined-process isolation tests were skipped';
      if (!skipped.includes(message)) skipped.push(message);
      this.skip();
    });

    it('a probe refuses a user that could write the candidate code, and says why', async () => {
      const open = mkdtempSync(join(tmpdir(), 'isolation-open-'));
      try {
        writeFileSync(join(open, 'index.ts'), 'export default () => ({});\n');
        chmodSync(open, 0o777);
        const isolation = await planIsolation({ codeRoots: [open], userName: 'nobody' });
        expect(isolation.user).to.equal(undefined);
        expect(isolation.statement).to.equal(
          `candidate code ran as the lab's own user (uid 0): no process isolation (uid 65534 (nobody) can write ${open}); ` +
            "its environment carried none of the lab's settings, but it could read the lab's process environment and write the lab",
        );
        chmodSync(open, 0o755);
        // Private lab paths: the statement names those the user could read, and only those.
        const shut = mkdtempSync(join(tmpdir(), 'isolation-shut-'));
        try {
          const confined = await planIsolation({ codeRoots: [open], userName: 'nobody', privatePaths: [shut, join(LAB, 'README.md')] });
          expect(confined.user).to.deep.equal({ name: 'nobody', uid: 65534, gid: 65534 });
          expect(confined.statement).to.match(/could read what any local user can, the lab's README\.md included$/);
        } finally {
          rmSync(shut, { recursive: true, force: true });
        }
        expect((await planIsolation({ codeRoots: [open], userName: 'no-such-user' })).statement).to.contain('no process isolation (no user "no-such-user" on this machine)');
      } finally {
        rmSync(open, { recursive: true, force: true });
      }
    });

    it('on pg-mem: as nobody it reads no process environment and writes neither the lab nor its own code', async () => {
      const { report, statement, markdown } = await reviewHostile(out, 'pg-mem');
      expect(report.uid).to.equal(65534);
      expect(statement).to.match(/^candidate code ran as uid 65534 \(nobody\): cannot write the lab nor its own code, cannot read the lab's process environment/);
      expect(markdown).to.contain(`- **Isolation:** ${statement}`);
      for (const attempts of [report.atLoad, report.whenAsked]) {
        expect(achieved(attempts, FILE_ESCAPES), JSON.stringify(attempts)).to.deep.equal([]);
        expect(attempts.readReviewerEnvironment!.detail).to.match(/EACCES/);
        expect(attempts.writeLab!.detail).to.match(/EACCES/).and.contain(LAB);
        expect(attempts.databaseSettingsInEnvironment!.detail).not.to.contain(REVIEWER_SECRET);
      }
    });

    it('unconfined (turned off), the same candidate does reach all of it: the attempts are real', async () => {
      const { report, statement, markdown } = await reviewHostile(out, 'pg-mem', null);
      expect(report.uid).to.equal(0);
      expect(statement).to.match(/^candidate code ran as the lab's own user \(uid 0\): no process isolation \(turned off\)/);
      expect(markdown).to.contain(`- **Isolation:** ${statement}`);
      // (Not /proc/1/environ: in a container even the lab's root may be refused pid 1's.)
      expect(achieved(report.atLoad, ['readReviewerEnvironment', 'writeLab', 'writeOwnFolder'])).to.deep.equal(['readReviewerEnvironment', 'writeLab', 'writeOwnFolder']);
      // The environment is allow-listed either way.
      expect(report.atLoad.databaseSettingsInEnvironment!.achieved).to.equal(false);
      expect(report.atLoad.databaseSettingsInEnvironment!.detail).not.to.contain(REVIEWER_SECRET);
    });

    describe('on PostgreSQL', () => {
      let decoy: Awaited<ReturnType<typeof createSchema>> | undefined;
      let hostile: HostileRun;
      before(async function () {
        const probe = await probePostgres(DATABASE_URL);
        if (!probe.ok) {
          const message = `PostgreSQL at ${DATABASE_URL} did not answer (${probe.reason}): the hostile candidate's database escapes were not tried`;
          if (!skipped.includes(message)) skipped.push(message);
          return this.skip();
        }
        // Another run's schema, with a row the candidate must not read.
        decoy = await createSchema(DATABASE_URL);
        const admin = knexFactory({ client: 'pg', connection: DATABASE_URL, pool: { min: 0, max: 1 } });
        try {
          await admin(`${decoy.schema}.tenants`).insert({ id: 'other-shop', name: 'Someone else' });
        } finally {
          await admin.destroy();
        }
        hostile = await reviewHostile(out, 'postgres');
      });
      after(async () => decoy?.drop());

      it('the OS-level escapes fail there too', () => {
        expect(hostile.report.uid).to.equal(65534);
        expect(achieved(hostile.report.whenAsked, FILE_ESCAPES)).to.deep.equal([]);
      });

      it("its login reaches its own schema only: no other run's rows, no SET ROLE postgres, no new roles", () => {
        const asked = hostile.report.whenAsked;
        expect(asked.ownLogin!.detail).to.match(/^(regression_lab_\w+) in \1$/);
        expect(asked.readOtherSchema!.achieved, asked.readOtherSchema!.detail).to.equal(false);
        // It did see the decoy (the catalog is public) and was refused its rows.
        expect(asked.readOtherSchema!.detail).to.match(/^saw [1-9]\d* other schema/).and.contain(`permission denied for schema ${decoy!.schema}`);
        expect(asked.setRolePostgres!.achieved).to.equal(false);
        expect(asked.setRolePostgres!.detail).to.contain('permission denied');
        expect(asked.createRole!.achieved).to.equal(false);
        expect(asked.createRole!.detail).to.contain('permission denied');
      });
    });
  });

  describe("submissions reviewed as sent, on the lab's packages", () => {
    let outcome: ReviewOutcome;
    const verdicts = (name: string) => outcome.reviews.find((r) => r.candidate.name === name)!.review.comparisons.map((c) => [c.scenario, c.sides.candidate!.verdict]);

    /** The reference answer as a candidate's variants/app that imports knex at run time. */
    function appImporting(name: string, pkg: string, ownModules: boolean): string {
      const app = join(out, `${name}-app`);
      cpSync(join(LAB, 'variants', 'fixed'), app, { recursive: true });
      const index = join(app, 'index.ts');
      const imported = pkg === 'knex' ? 'knexFactory' : 'imported';
      writeFileSync(index, `import ${imported} from '${pkg}';\nif (typeof ${imported} !== 'function') throw new Error('${pkg} is not the lab\\'s');\n` + readFileSync(index, 'utf8'));
      const repo = sendAsRepository(out, name, app);
      for (const file of ['contract.ts', 'shared']) cpSync(join(LAB, 'variants', file), join(repo, 'variants', file), { recursive: true });
      if (ownModules) {
        // A package of the submission's own that must never be loaded.
        mkdirSync(join(repo, 'node_modules', pkg), { recursive: true });
        writeFileSync(join(repo, 'node_modules', pkg, 'package.json'), `{ "name": "${pkg}", "main": "index.js" }\n`);
        writeFileSync(join(repo, 'node_modules', pkg, 'index.js'), "throw new Error('the submission\\'s own node_modules was used');\n");
      }
      // Unpacked into a private folder, as mkdtemp or unzip in a home directory leaves it.
      chmodSync(repo, 0o700);
      return repo;
    }

    before(async () => {
      outcome = await reviewCandidates({
        backend: 'pg-mem',
        databaseUrl: DATABASE_URL,
        ...SETTINGS,
        candidates: [
          { path: appImporting('without-modules', 'knex', false) },
          { path: appImporting('with-modules', 'knex', true) },
          { path: appImporting('imports-lodash', 'lodash', true) },
        ],
        scenarioIds: ['cancel-regression'],
        outDir: join(out, 'reports'),
      });
    });

    it('a submission importing knex reviews the same with and without node_modules of its own', () => {
      expect(verdicts('without-modules')).to.deep.equal([['cancel-regression', 'PASS']]);
      expect(verdicts('with-modules')).to.deep.equal(verdicts('without-modules'));
    });

    it("a package the lab does not provide is an ERROR that names it, whatever the submission's node_modules holds", () => {
      const side = outcome.reviews.find((r) => r.candidate.name === 'imports-lodash')!.review.comparisons[0]!.sides.candidate!;
      expect(side.verdict).to.equal('ERROR');
      expect(side.reason).to.contain("the candidate's code (app/index.ts) imports 'lodash', which the lab does not provide");
    });
  });
});
