// The service process: opens a database, builds the app around a variant and listens. Forked by
// the harness (which then talks to it over IPC for bulk loads, row snapshots and query logs),
// and run directly by `npm run dev`.
import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../service/app';
import { loadVariant, VariantLoadError } from '../variants/load';
import { attachPostgres, BACKENDS, DEFAULT_BACKEND, DEFAULT_DATABASE_URL, fallbackWarning, openBackend, type BackendName, type Database } from './db/backends';
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
             [--database-url URL] [--schema NAME (attach to a schema the caller created)]`;

function fail(message: string): never {
  if (process.send) process.send({ type: 'failed', error: message } satisfies ServiceMessage);
  console.error(`serve: ${message}\n${USAGE}`);
  process.exit(2);
}

async function openDatabase(backend: BackendName, url: string, schema: string | undefined): Promise<Database> {
  if (schema && backend !== 'pg-mem') return attachPostgres({ url, schema }, backend);
  const db = await openBackend(backend, { databaseUrl: url });
  const warning = fallbackWarning(db.engine);
  if (warning) console.error(warning);
  return db;
}

async function main() {
  const { values } = parseArgs({
    options: {
      variant: { type: 'string', default: defaultVariant().id },
      db: { type: 'string', default: DEFAULT_BACKEND },
      port: { type: 'string', default: '3000' },
      host: { type: 'string', default: '127.0.0.1' },
      dev: { type: 'boolean', default: false },
      'demo-seed': { type: 'string' },
      'no-server-timing': { type: 'boolean', default: false },
      'database-url': { type: 'string', default: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL },
      schema: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const backend = values.db as BackendName;
  if (!BACKENDS.includes(backend)) fail(`--db must be one of: ${BACKENDS.join(', ')} (got "${values.db}")`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (got "${values.port}")`);

  let variant;
  try {
    variant = loadVariant(values.variant!);
  } catch (err) {
    fail(err instanceof VariantLoadError ? err.message : String(err));
  }
  const db = await openDatabase(backend, values['database-url']!, values.schema);
  const meter = values['no-server-timing'] ? undefined : createQueryMeter(db.knex);
  // Statements the harness sends over IPC run inside this context, so they are not the variant's.
  const harnessWork = new AsyncLocalStorage<true>();
  const gaps = backend === 'pg-mem' ? await recordGaps(db.knex, () => harnessWork.getStore() === true) : undefined;
  const app = buildApp({
    variant,
    knex: db.knex,
    meter,
    dev: values.dev,
    variantName: values.variant,
    backendName: db.backend,
    reportsDir: resolve(__dirname, '../reports'),
  });
  app.addHook('onClose', () => db.close());
  if (gaps) app.addHook('onError', async (_request, _reply, error) => gaps.noteRouteError(error));

  if (values['demo-seed'] !== undefined) {
    await app.ready();
    await app.repositories.tenants.create({ id: 'demo', name: 'Demo shop' });
    const seeded = await app.repositories.dev.seed('demo', { customers: 20, ordersPerCustomer: 5, itemsPerOrder: 3, seed: Number(values['demo-seed']) });
    console.log(`seeded tenant "demo": ${seeded.customers} customers, ${seeded.orders} orders, ${seeded.items} items`);
  }

  const address = await app.listen({ port, host: values.host });
  const shutdown = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  if (!process.send) {
    console.log(`Regression Lab: variant ${values.variant} on ${db.version}, listening on ${address}`);
    console.log(`every /api request needs an X-Tenant-ID header${values['demo-seed'] !== undefined ? ' (try "demo")' : ''}`);
    return;
  }
  process.on('disconnect', shutdown);
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

// parseArgs refuses an unknown option with a TypeError: its message and the usage say enough.
const isUsageError = (err: unknown) => String((err as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
main().catch((err) => fail(isUsageError(err) ? (err as Error).message : ((err as Error).stack ?? String(err))));
