// A run killed with SIGKILL leaves its schema and role behind; the next run's sweep removes
// exactly those, never a schema or table of the user's, and never a schema of a run still going.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Client } from 'pg';
import { createSchema } from '../../harness/db/backends';
import { sweepStaleSchemas } from '../../harness/db/lab-schemas';
import { DATABASE_URL, forEachBackend } from '../helpers/matrix';

/** Starts a child that creates a lab schema, waits for its name, and kills it with SIGKILL. */
async function killedRunSchema(): Promise<string> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', join(__dirname, 'fixtures/creates-schema-and-waits.ts'), DATABASE_URL], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  child.kill('SIGKILL');
  await once(child, 'exit');
  return chunk.toString().trim();
}

forEachBackend((backend) => {
  if (backend !== 'postgres') return;
  describe('stale lab schemas', function () {
    this.timeout(60_000);
    const suffix = `${process.pid}_${Date.now()}`;
    const userSchema = `user_data_${suffix}`;
    const userTable = `user_orders_${suffix}`;
    // Looks like ours at a glance, but is not a name the lab creates.
    const lookalike = `regression_lab_keep_${suffix}`;
    let admin: Client;

    before(async () => {
      admin = new Client({ connectionString: DATABASE_URL });
      await admin.connect();
      await admin.query(`create schema "${userSchema}"`);
      await admin.query(`create table "${userSchema}".notes (id int primary key, body text)`);
      await admin.query(`insert into "${userSchema}".notes values (1, 'mine')`);
      await admin.query(`create table public."${userTable}" (id int primary key)`);
      await admin.query(`insert into public."${userTable}" values (7)`);
      await admin.query(`create schema "${lookalike}"`);
    });

    after(async () => {
      await admin.query(`drop schema if exists "${userSchema}" cascade`);
      await admin.query(`drop table if exists public."${userTable}"`);
      await admin.query(`drop schema if exists "${lookalike}" cascade`);
      await admin.end();
    });

    const exists = async (sql: string, name: string) => (await admin.query(sql, [name])).rows.length > 0;
    const schemaExists = (name: string) => exists('select 1 from pg_namespace where nspname = $1', name);
    const roleExists = (name: string) => exists('select 1 from pg_roles where rolname = $1', name);

    it('drops the schema and role of a killed run, and only those', async () => {
      const live = await createSchema(DATABASE_URL, { ownRole: true });
      try {
        const stale = await killedRunSchema();
        expect(await schemaExists(stale), 'the killed run left its schema').to.equal(true);
        expect(await roleExists(stale), 'the killed run left its role').to.equal(true);

        const dropped = await sweepStaleSchemas(DATABASE_URL);

        // Test files run in parallel: another file's run may have swept it first. Gone is what counts.
        expect(await schemaExists(stale)).to.equal(false);
        expect(await roleExists(stale)).to.equal(false);
        expect(dropped, 'a run still in progress keeps its schema').not.to.include(live.schema);
        expect(await schemaExists(live.schema)).to.equal(true);
        expect(await roleExists(live.schema)).to.equal(true);
        expect(await schemaExists(lookalike)).to.equal(true);
        expect((await admin.query(`select body from "${userSchema}".notes`)).rows).to.deep.equal([{ body: 'mine' }]);
        expect((await admin.query(`select id from public."${userTable}"`)).rows).to.deep.equal([{ id: 7 }]);
      } finally {
        await live.drop();
      }
      expect(await schemaExists(live.schema)).to.equal(false);
      expect(await roleExists(live.schema)).to.equal(false);
    });
  });
});
