// Tests run as a matrix: backend (outer describe) x variant. TEST_DB names the backends:
// unset means pg-mem, plus PostgreSQL when it answers (skipped loudly when it does not);
// listed explicitly, each one is required and its absence fails the run.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../service/app';
import { loadVariant } from '../../variants/load';
import { BACKENDS, openBackend as openEngineBackend, probePostgres, type BackendName, type Database } from '../../harness/db/backends';
import { DEFAULT_DATABASE_URL } from '../../harness/settings';
import { createQueryMeter } from '../../harness/queries';

export const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

function requestedBackends(): { names: BackendName[]; required: boolean } {
  const raw = process.env.TEST_DB?.trim();
  if (!raw) return { names: ['pg-mem', 'postgres'], required: false };
  const names = raw.split(/[\s,]+/);
  for (const name of names) {
    if (!(BACKENDS as readonly string[]).includes(name)) {
      throw new Error(`TEST_DB: unknown backend "${name}"; use one or more of: ${BACKENDS.join(', ')}`);
    }
  }
  return { names: names as BackendName[], required: true };
}

export const skipped: string[] = [];
let postgresProbe: Promise<Awaited<ReturnType<typeof probePostgres>>> | undefined;

/** The backend named, never another: a test that asked for embedded fails when it cannot start. */
export function openBackend(name: BackendName): Promise<Database> {
  return openEngineBackend(name, { databaseUrl: DATABASE_URL, fallback: false });
}

/** The backends of the matrix; embedded only when TEST_DB names it (it takes seconds to start). */
export function forEachBackend(define: (backend: BackendName) => void): void {
  const { names, required } = requestedBackends();
  for (const name of names) {
    describe(`[${name}]`, function () {
      if (name === 'postgres') {
        before(async function () {
          postgresProbe ??= probePostgres(DATABASE_URL);
          const probe = await postgresProbe;
          if (probe.ok) return;
          if (required) throw new Error(`PostgreSQL was required (TEST_DB) but ${DATABASE_URL} did not answer: ${probe.reason}`);
          const message = `PostgreSQL at ${DATABASE_URL} did not answer (${probe.reason}): its tests were skipped`;
          if (!skipped.includes(message)) skipped.push(message);
          this.skip();
        });
      }
      define(name);
    });
  }
}

export const VARIANTS = ['broken', 'fixed'] as const;
export type VariantName = (typeof VARIANTS)[number];

export function forEachVariant(define: (variant: VariantName) => void): void {
  for (const variant of VARIANTS) describe(variant, () => define(variant));
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
}

/** One database per describe block (opened in before, closed in after); each test makes its own tenant. */
export function useApp(backend: BackendName, variant: string): () => TestApp {
  let current: TestApp | undefined;
  before(async function () {
    this.timeout(120_000);
    const db = await openBackend(backend);
    const app = buildApp({ variant: loadVariant(variant), knex: db.knex, meter: createQueryMeter(db.knex), dev: true, variantName: variant, backendName: backend });
    await app.ready();
    current = { app, db };
  });
  after(async () => {
    if (!current) return;
    // Let the broken variant's unawaited work (confirmations, reservations) finish first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await current.app.close();
    await current.db.close();
  });
  return () => {
    if (!current) throw new Error('useApp: the app is opened in a before hook');
    return current;
  };
}
