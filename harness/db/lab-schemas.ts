// The schemas (and their login roles) a run creates on a PostgreSQL server, and how a later run
// finds the ones a killed run left behind without any risk to a run still in progress.
//
// Each schema is guarded by a session advisory lock, taken before the schema exists and held by
// the creating process on a connection of its own until the schema is dropped. SIGKILL, an OOM
// kill or a power cut closes that connection, and PostgreSQL releases the lock with it: a lab
// schema whose lock can be taken has no living owner. Nothing that does not match the exact
// name pattern is ever touched.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** `regression_lab_<pid>_<8 hex>`: the only names the lab creates, and the only ones it drops. */
export const LAB_SCHEMA_PATTERN = /^regression_lab_\d+_[0-9a-f]{8}$/;

/** First key of every lab advisory lock, so no other application's locks can collide with ours. */
const LOCK_CLASS = 0x1ab5; // "lab s"

export function newLabSchemaName(): string {
  return `regression_lab_${process.pid}_${randomBytes(4).toString('hex')}`;
}

const LOCK = `select pg_try_advisory_lock(${LOCK_CLASS}, hashtext($1)) as locked`;
const UNLOCK = `select pg_advisory_unlock(${LOCK_CLASS}, hashtext($1))`;

export interface SchemaLock {
  release(): Promise<void>;
}

/** Holds `name`'s lock on a connection kept open until release (or until this process dies). */
export async function holdSchemaLock(url: string, name: string): Promise<SchemaLock> {
  if (!LAB_SCHEMA_PATTERN.test(name)) throw new Error(`not a lab schema name: ${name}`);
  const client = new Client({ connectionString: url });
  await client.connect();
  // The lock dies with the connection: never let an idle-connection error crash the run.
  client.on('error', () => {});
  const { rows } = await client.query<{ locked: boolean }>(LOCK, [name]);
  if (!rows[0]?.locked) {
    await client.end();
    throw new Error(`schema ${name} is already held by another run`);
  }
  return {
    release: async () => {
      await client.end().catch(() => {});
    },
  };
}

/**
 * Drops a lab schema's role (if it has one) and then the schema. The role goes first, so that an
 * interruption at any point leaves at most a schema without a role, which a sweep finds.
 */
export async function dropLabSchema(client: Client, name: string): Promise<void> {
  if (!LAB_SCHEMA_PATTERN.test(name)) throw new Error(`not a lab schema name: ${name}`);
  const ident = `"${name}"`;
  const { rows } = await client.query('select 1 from pg_roles where rolname = $1', [name]);
  if (rows.length) {
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [name]);
    await client.query(`drop owned by ${ident}`);
    await client.query(`drop role if exists ${ident}`);
  }
  await client.query(`drop schema if exists ${ident} cascade`);
}

/**
 * Drops every lab schema of this database whose lock is free (its run is dead), with its role.
 * Returns the names dropped. A schema whose lock is held, by this process or any other, is left.
 */
export async function sweepStaleSchemas(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  client.on('error', () => {});
  const dropped: string[] = [];
  try {
    const { rows } = await client.query<{ name: string }>("select nspname as name from pg_namespace where nspname like 'regression\\_lab\\_%'");
    for (const { name } of rows) {
      if (!LAB_SCHEMA_PATTERN.test(name)) continue;
      const { rows: taken } = await client.query<{ locked: boolean }>(LOCK, [name]);
      if (!taken[0]?.locked) continue;
      try {
        await dropLabSchema(client, name);
        dropped.push(name);
      } finally {
        await client.query(UNLOCK, [name]);
      }
    }
  } finally {
    await client.end();
  }
  return dropped;
}
