// The service process: opens a database, builds the app around a variant and listens. Forked by
// the harness (which then talks to it over IPC for bulk loads, row snapshots and query logs),
// and run directly by `npm run dev`.
import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import { buildApp } from '../service/app';
import { loadVariant, VariantLoadError } from '../variants/load';
import { attachPostgres, BACKENDS, DEFAULT_BACKEND, fallbackWarning, openBackend, type BackendName, type Database } from './db/backends';
import type { Cleanups } from './interrupt';
import { DEFAULT_DATABASE_URL, oneOf, parseFlags, positiveNumber, runCommand, UsageError, type CommandContext, type LabEnvironment } from './settings';
import { loadDataset, snapshotTenant, type DatasetSpec } from './db/bulk-load';
import { recordGaps, type GapHit } from './db/pg-mem-gaps';
import { answerRequests, type Reply } from './ipc';
import { createQueryMeter } from './queries';
import { defaultVariant, labConfig } from './roles';

export type ServiceRequest =
  | { type: 'load'; spec: DatasetSpec }
  | { type: 'snapshot'; tenant: string }
  | { type: 'queries'; requestId: string }
  /** The pg-mem gaps the code under test ran into so far (always none on PostgreSQL). */
  | { type: 'engine-gaps' }
  /** process.memoryUsage() of this process: the soak benchmark watches it for growth. */
  | { type: 'memory' };

export type ServiceMessage =
  | { type: 'ready'; port: number; backend: BackendName; databaseVersion: string }
  | { type: 'failed'; error: string }
  | Reply;

const USAGE = `usage: serve --variant ${labConfig().variants.map((v) => v.id).join('|')}|<folder> [--db ${BACKENDS.join('|')} (default ${DEFAULT_BACKEND})] [--port 3000]
             [--host 127.0.0.1] [--dev] [--demo-seed N] [--no-server-timing] [--help]
             [--database-url URL (default $DATABASE_URL or ${DEFAULT_DATABASE_URL})] [--schema NAME (attach to a schema the caller created)]
       serve --settings <json>   (how the harness starts it: every setting, typed, and nothing from the environment)`;

/** What a service process runs with: from `npm run dev`'s flags, or handed over whole by the harness. */
export interface ServeSettings {
  variant: string;
  backend: BackendName;
  /** 0: any free port (the harness's choice; the process reports the one it got). */
  port: number;
  host: string;
  dev: boolean;
  /** Seeds a tenant "demo" with this seed before listening. */
  demoSeed?: number;
  serverTiming: boolean;
  /** For PostgreSQL: the server, or with `schema` the login that reaches that schema only. */
  databaseUrl?: string;
  /** A schema the caller created and migrated: attach to it rather than open a database of our own. */
  schema?: string;
}

const SETTING_TYPES: Record<keyof ServeSettings, 'string' | 'number' | 'boolean'> = {
  variant: 'string',
  backend: 'string',
  port: 'number',
  host: 'string',
  dev: 'boolean',
  demoSeed: 'number',
  serverTiming: 'boolean',
  databaseUrl: 'string',
  schema: 'string',
};
const REQUIRED: readonly (keyof ServeSettings)[] = ['variant', 'backend', 'port', 'host', 'dev', 'serverTiming'];

/** Checks settings handed over as JSON: every key known and of its type, the backend and port valid. */
export function serveSettings(value: unknown): ServeSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('--settings must be a JSON object');
  const entries = Object.entries(value);
  for (const [key, setting] of entries) {
    const type = SETTING_TYPES[key as keyof ServeSettings];
    if (!type) throw new UsageError(`--settings: unknown setting "${key}"`);
    if (typeof setting !== type) throw new UsageError(`--settings: ${key} must be a ${type} (got ${JSON.stringify(setting)})`);
  }
  const missing = REQUIRED.filter((key) => !(key in value));
  if (missing.length) throw new UsageError(`--settings: missing ${missing.join(', ')}`);
  const settings = value as ServeSettings;
  oneOf('db', settings.backend, BACKENDS, DEFAULT_BACKEND);
  portNumber(String(settings.port));
  return settings;
}

function portNumber(raw: string): number {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535 (got "${raw}")`);
  return port;
}

/** `npm run dev` and anyone starting a service by hand: flags, with DATABASE_URL as the server's default. */
export function parseServeFlags(argv: string[], env: LabEnvironment): ServeSettings | 'help' {
  const { values } = parseFlags(argv, {
    variant: { type: 'string' },
    db: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    dev: { type: 'boolean' },
    'demo-seed': { type: 'string' },
    'no-server-timing': { type: 'boolean' },
    'database-url': { type: 'string' },
    schema: { type: 'string' },
    settings: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.settings !== undefined) {
    if (argv.length !== 2) throw new UsageError('--settings carries every setting: give it alone');
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(values.settings);
    } catch (err) {
      throw new UsageError(`--settings is not JSON: ${(err as Error).message}`);
    }
    return serveSettings(parsedJson);
  }
  return {
    variant: values.variant ?? defaultVariant().id,
    backend: oneOf('db', values.db, BACKENDS, DEFAULT_BACKEND),
    port: values.port === undefined ? 3000 : portNumber(values.port),
    host: values.host ?? '127.0.0.1',
    dev: Boolean(values.dev),
    demoSeed: values['demo-seed'] === undefined ? undefined : positiveNumber('demo-seed', values['demo-seed'], 1, 2 ** 31),
    serverTiming: !values['no-server-timing'],
    databaseUrl: values['database-url'] ?? env.databaseUrl,
    schema: values.schema,
  };
}

async function openDatabase({ backend, databaseUrl, schema }: ServeSettings): Promise<Database> {
  if (schema && backend !== 'pg-mem') {
    if (!databaseUrl) throw new UsageError('--schema needs the URL of a login that reaches it');
    return attachPostgres({ url: databaseUrl, schema }, backend);
  }
  const db = await openBackend(backend, { databaseUrl });
  const warning = fallbackWarning(db.engine);
  if (warning) console.error(warning);
  return db;
}

async function serve(settings: ServeSettings, cleanups: Cleanups): Promise<void> {
  const variant = loadVariant(settings.variant);
  const db = await openDatabase(settings);
  const meter = settings.serverTiming ? createQueryMeter(db.knex) : undefined;
  // Statements the harness sends over IPC run inside this context, so they are not the variant's.
  const harnessWork = new AsyncLocalStorage<true>();
  const gaps = settings.backend === 'pg-mem' ? await recordGaps(db.knex, () => harnessWork.getStore() === true) : undefined;
  const app = buildApp({
    variant,
    knex: db.knex,
    meter,
    dev: settings.dev,
    variantName: settings.variant,
    backendName: db.backend,
    reportsDir: resolve(__dirname, '../reports'),
  });
  app.addHook('onClose', () => db.close());
  // Ctrl-C, and the SIGTERM the harness stops us with, close the app (and with it the database) first.
  const close = cleanups.untilDone(() => app.close());
  if (gaps) app.addHook('onError', async (_request, _reply, error) => gaps.noteRouteError(error));

  if (settings.demoSeed !== undefined) {
    await app.ready();
    await app.repositories.tenants.create({ id: 'demo', name: 'Demo shop' });
    const seeded = await app.repositories.dev.seed('demo', { customers: 20, ordersPerCustomer: 5, itemsPerOrder: 3, seed: settings.demoSeed });
    console.log(`seeded tenant "demo": ${seeded.customers} customers, ${seeded.orders} orders, ${seeded.items} items`);
  }

  const address = await app.listen({ port: settings.port, host: settings.host });

  if (!process.send) {
    console.log(`Regression Lab: variant ${settings.variant} on ${db.version}, listening on ${address}`);
    console.log(`every /api request needs an X-Tenant-ID header${settings.demoSeed !== undefined ? ' (try "demo")' : ''}`);
    return;
  }
  // The harness went away without stopping us.
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  const answer = async (request: ServiceRequest): Promise<unknown> => {
    switch (request.type) {
      case 'load':
        return loadDataset(db.knex, request.spec, { analyze: db.backend !== 'pg-mem' });
      case 'snapshot':
        return snapshotTenant(db.knex, request.tenant);
      case 'queries':
        return meter?.recorded(request.requestId) ?? null;
      case 'engine-gaps':
        return (gaps?.hits() ?? []) satisfies GapHit[];
      case 'memory':
        return process.memoryUsage();
    }
  };
  answerRequests<ServiceRequest>((request) => harnessWork.run(true, () => answer(request)));
  const { port: bound } = app.server.address() as { port: number };
  process.send({ type: 'ready', port: bound, backend: db.backend, databaseVersion: db.version } satisfies ServiceMessage);
}

/** Runs until stopped; a process the harness forked also says why it could not start, over IPC. */
async function main(argv: string[], { env, cleanups }: CommandContext): Promise<number> {
  try {
    const settings = parseServeFlags(argv, env);
    if (settings === 'help') return console.log(USAGE), 0;
    await serve(settings, cleanups);
    return new Promise<number>(() => {});
  } catch (err) {
    const known = err instanceof UsageError || err instanceof VariantLoadError;
    const message = known ? (err as Error).message : ((err as Error).stack ?? String(err));
    if (process.send) process.send({ type: 'failed', error: message } satisfies ServiceMessage);
    console.error(`serve: ${message}${err instanceof UsageError ? `\n${USAGE}` : ''}`);
    return 2;
  }
}

if (require.main === module) runCommand('serve', main, { interrupted: 'stopping' });
