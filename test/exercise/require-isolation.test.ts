// `npm run review -- --require-isolation`: the review refuses to run candidate code as the
// reviewer's own user (exit 2, with the isolation statement that says why), and goes ahead when the
// code can run as a user of its own. The review workflow relies on it (.github/workflows/review.yml).
import { expect } from 'chai';
import { resolve } from 'node:path';
import { main, parseReview } from '../../exercise/cli';
import { confineCandidates, locateCandidate, requireIsolation, ReviewError } from '../../exercise/review';
import { skipped } from '../helpers/matrix';
import { readEnvironment } from '../../harness/settings';

const CANDIDATE = resolve(__dirname, 'fixtures/partial-fix');
const located = () => [locateCandidate({ path: CANDIDATE })];

/** The isolation a review of CANDIDATE would have with this sandbox user, checked as --require-isolation checks it. */
async function required(user: string | null): Promise<{ statement: string; refusal?: string }> {
  const confined = await confineCandidates(located(), user);
  try {
    requireIsolation(confined.isolation);
    return { statement: confined.isolation.statement };
  } catch (err) {
    expect(err).to.be.instanceOf(ReviewError);
    return { statement: confined.isolation.statement, refusal: (err as Error).message };
  } finally {
    confined.remove();
  }
}

describe('npm run review -- --require-isolation', function () {
  this.timeout(120_000);

  it('is off unless asked for', () => {
    expect(parseReview(['--candidate', 'x'], readEnvironment({}))).to.include({ requireIsolation: false });
    expect(parseReview(['--candidate', 'x', '--require-isolation'], readEnvironment({}))).to.include({ requireIsolation: true });
  });

  it("refuses, quoting the isolation statement, wherever the code would run as the reviewer's user", async () => {
    const cases: Record<string, string | null> = {
      'no user "no-such-user" on this machine': 'no-such-user',
      'turned off': null,
      '"root" is root': 'root',
    };
    if (process.getuid?.() !== 0) {
      // Not root: every user is refused, the default one too.
      cases['switching users needs the lab to run as root on Linux'] = 'nobody';
    }
    for (const [reason, user] of Object.entries(cases)) {
      const { statement, refusal } = await required(user);
      expect(statement, reason).to.contain(`no process isolation (${reason})`);
      expect(refusal, reason).to.equal(
        `--require-isolation: refusing to run candidate code, which would run as the reviewer's own user: ${statement}. ` +
          'Run the review as root, with the lab and the submission readable by that user.',
      );
    }
  });

  it('goes ahead as root, where the code runs as nobody', async function () {
    if (process.getuid?.() !== 0) {
      const message = '--require-isolation accepting a review: needs the tests to run as root (they do in CI)';
      if (!skipped.includes(message)) skipped.push(message);
      this.skip();
    }
    const { statement, refusal } = await required('nobody');
    expect(refusal).to.equal(undefined);
    expect(statement).to.match(/^candidate code ran as uid \d+ \(nobody\): /);
  });

  it('exits 2 with that sentence, before any scenario runs', async () => {
    const errors: string[] = [];
    const original = console.error;
    const before = process.env.REGRESSION_LAB_SANDBOX_USER;
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
    process.env.REGRESSION_LAB_SANDBOX_USER = 'no-such-user';
    try {
      expect(await main(['review', '--candidate', CANDIDATE, '--db', 'pg-mem', '--require-isolation', '--out', '/nonexistent/never-written'])).to.equal(2);
    } finally {
      console.error = original;
      if (before === undefined) delete process.env.REGRESSION_LAB_SANDBOX_USER;
      else process.env.REGRESSION_LAB_SANDBOX_USER = before;
    }
    expect(errors.join('\n')).to.match(/^exercise: --require-isolation: refusing to run candidate code, which would run as the reviewer's own user: .*no user "no-such-user" on this machine/);
  });
});
