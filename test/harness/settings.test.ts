// The settings module: the environment read once into typed values, flags parsed strictly, the
// forked service's settings checked whole, and the cleanups Ctrl-C runs owned by one command.
import { expect } from 'chai';
import { Cleanups } from '../../harness/interrupt';
import { parseServeFlags, serveSettings, type ServeSettings } from '../../harness/serve';
import { parseServerTimingOptions } from '../../harness/bench/server-timing';
import { DEFAULT_DATABASE_URL, parseFlags, readEnvironment, UsageError } from '../../harness/settings';

const FORKED: ServeSettings = { variant: 'fixed', backend: 'pg-mem', port: 0, host: '127.0.0.1', dev: true, serverTiming: true };

describe('settings', () => {
  describe('readEnvironment', () => {
    it('takes DATABASE_URL and the lab variables when set, the default server when not, and an empty one as unset', () => {
      expect(readEnvironment({})).to.include({ databaseUrl: DEFAULT_DATABASE_URL, sandboxUser: undefined, codeRoot: undefined });
      const source: NodeJS.ProcessEnv = { DATABASE_URL: 'postgres://u@db:5433/x', REGRESSION_LAB_SANDBOX_USER: 'lab-sandbox', FOLDER: 'submissions' };
      const env = readEnvironment(source);
      expect(env).to.include({ databaseUrl: 'postgres://u@db:5433/x', sandboxUser: 'lab-sandbox' });
      source.FOLDER = 'changed later';
      expect([env.variable('FOLDER'), env.variable('REPOSITORIES')], 'read once, when the command started').to.deep.equal(['submissions', undefined]);
      expect(readEnvironment({ DATABASE_URL: '', REGRESSION_LAB_SANDBOX_USER: ' ' })).to.include({ databaseUrl: DEFAULT_DATABASE_URL, sandboxUser: undefined });
    });
  });

  describe('parseFlags', () => {
    it('parses known flags and positionals where allowed, and turns every refusal into a usage error', () => {
      expect(parseFlags(['--out', 'x', 'a'], { out: { type: 'string' } }, { positionals: true })).to.deep.equal({ values: { out: 'x' }, positionals: ['a'] });
      expect(() => parseFlags(['a'], { out: { type: 'string' } })).to.throw(UsageError, "Unexpected argument 'a'");
      expect(() => parseFlags(['--bogus'], {})).to.throw(UsageError, "Unknown option '--bogus'");
      expect(() => parseFlags(['--out'], { out: { type: 'string' } })).to.throw(UsageError, "Option '--out <value>' argument missing");
    });
  });

  describe("the service's settings", () => {
    it('accepts what the harness hands over, and takes nothing from the environment when handed it', () => {
      const env = readEnvironment({ DATABASE_URL: 'postgres://reviewer:secret@127.0.0.1/reviews' });
      expect(parseServeFlags(['--settings', JSON.stringify(FORKED)], env)).to.deep.equal(FORKED);
      const attached = { ...FORKED, backend: 'postgres', databaseUrl: 'postgres://own_role@h/db', schema: 'regression_lab_1' };
      expect(parseServeFlags(['--settings', JSON.stringify(attached)], env)).to.deep.equal(attached);
    });

    it('refuses settings that are not whole: unknown keys, wrong types, missing ones, a bad backend or port, extra flags', () => {
      expect(() => serveSettings([])).to.throw(UsageError, 'must be a JSON object');
      expect(() => serveSettings({ ...FORKED, env: {} })).to.throw(UsageError, 'unknown setting "env"');
      expect(() => serveSettings({ ...FORKED, port: '0' })).to.throw(UsageError, 'port must be a number');
      const { host: _host, ...withoutHost } = FORKED;
      expect(() => serveSettings(withoutHost)).to.throw(UsageError, 'missing host');
      expect(() => serveSettings({ ...FORKED, backend: 'mysql' })).to.throw(UsageError, '--db must be one of');
      expect(() => serveSettings({ ...FORKED, port: 70_000 })).to.throw(UsageError, '--port must be a port number');
      expect(() => parseServeFlags(['--settings', '{nope'], readEnvironment({}))).to.throw(UsageError, '--settings is not JSON');
      expect(() => parseServeFlags(['--settings', JSON.stringify(FORKED), '--dev'], readEnvironment({}))).to.throw(UsageError, 'give it alone');
    });

    it("gives npm run dev's flags their defaults, DATABASE_URL included, and checks numbers", () => {
      const settings = parseServeFlags(['--db', 'postgres', '--demo-seed', '1'], readEnvironment({ DATABASE_URL: 'postgres://me@h/dev' }));
      expect(settings).to.include({ backend: 'postgres', port: 3000, host: '127.0.0.1', demoSeed: 1, serverTiming: true, databaseUrl: 'postgres://me@h/dev' });
      expect(() => parseServeFlags(['--demo-seed', 'NaN'], readEnvironment({}))).to.throw(UsageError, '--demo-seed must be a whole number');
      expect(() => parseServeFlags(['--port', '65536'], readEnvironment({}))).to.throw(UsageError, '--port must be a port number');
    });
  });

  describe('the benchmarks', () => {
    it('bench:server-timing checks its numbers like every command (it once ran NaN rounds)', () => {
      expect(parseServerTimingOptions([], readEnvironment({}))).to.deep.include({ backend: 'pg-mem', duration: 5, rounds: 5, connections: 10, out: 'reports/pg-mem-server-timing.md' });
      expect(parseServerTimingOptions(['--db', 'postgres', '--duration', '0.5'], readEnvironment({ DATABASE_URL: 'postgres://b@h/x' }))).to.deep.include({ duration: 0.5, databaseUrl: 'postgres://b@h/x' });
      expect(() => parseServerTimingOptions(['--rounds', 'NaN'], readEnvironment({}))).to.throw(UsageError, '--rounds must be a whole number above 0');
      expect(() => parseServerTimingOptions(['--duration', '-1'], readEnvironment({}))).to.throw(UsageError);
      expect(() => parseServerTimingOptions(['--db', 'embedded'], readEnvironment({}))).to.throw(UsageError, '--db must be one of: pg-mem, postgres');
    });
  });

  describe('Cleanups', () => {
    it('runs on interrupt only what has not been done the normal way, each once', async () => {
      const cleanups = new Cleanups();
      const ran: string[] = [];
      const dropSchema = cleanups.untilDone(async () => void ran.push('schema'));
      cleanups.untilDone(async () => void ran.push('server'));
      cleanups.untilDone(async () => {
        throw new Error('a cleanup that fails does not stop the others');
      });
      await dropSchema();
      expect(cleanups.size).to.equal(2);
      await cleanups.runPending();
      await cleanups.runPending();
      expect(ran).to.deep.equal(['schema', 'server']);
      expect(cleanups.size).to.equal(0);
    });
  });
});
