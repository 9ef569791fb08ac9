// buildApp is the one way to get the service: tests inject() into it, harness/serve.ts listens
// with it. It reads no environment and keeps no state outside the instance it returns.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Knex } from 'knex';
import type { Repositories, Variant } from '../variants/contract';
import errors, { clientErrorHandler, frameworkErrors, refuseConnect } from './errors';
import { requireTenant } from './plugins/tenant';
import openapi from './plugins/openapi';
import serverTiming, { type QueryMeter } from './plugins/server-timing';
import { rejectUnstorableText } from './plugins/text-input';
import analyticsRoutes from './routes/analytics';
import customerRoutes from './routes/customers';
import devRoutes from './routes/dev';
import healthRoutes from './routes/health';
import orderRoutes from './routes/orders';
import productRoutes from './routes/products';
import reportRoutes from './routes/reports';
import tenantRoutes from './routes/tenants';
import uiRoutes from './routes/ui';
import { buildValidator, maxUnitsKeyword } from './validation';

/** No route takes more than a few hundred bytes; a megabyte (Fastify's default) only feeds abuse. */
export const BODY_LIMIT_BYTES = 64 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    repositories: Repositories;
  }
}

export interface AppOptions {
  variant: Variant;
  knex: Knex;
  /** Names shown by GET /health and the web page. */
  variantName?: string;
  backendName?: string;
  /** Enables POST /api/dev/seed. */
  dev?: boolean;
  /** When given, every response carries Server-Timing with its query count and db time. */
  meter?: QueryMeter;
  logger?: FastifyServerOptions['logger'];
  /** Where GET /reports/latest.json looks for scenario reports (the web page renders the newest). */
  reportsDir?: string;
}

export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Random, not a counter: the id keys a request's SQL in the meter and must not be guessable.
    genReqId: () => randomUUID(),
    ajv: {
      customOptions: {
        // Unknown fields are rejected with a 400 rather than silently dropped.
        removeAdditional: false,
      },
      plugins: [maxUnitsKeyword],
    },
    schemaController: { compilersFactory: { buildValidator } },
    frameworkErrors,
    clientErrorHandler,
  });
  app.server.on('connect', refuseConnect);
  app.decorate('repositories', options.variant(options.knex));
  app.register(errors);
  app.addHook('preValidation', rejectUnstorableText);
  if (options.meter) app.register(serverTiming, { meter: options.meter });
  // Before the routes: it collects them as they register, for GET /docs/json.
  app.register(openapi);

  app.register(healthRoutes, {
    variant: options.variantName ?? 'custom',
    backend: options.backendName ?? 'unknown',
    dev: options.dev ?? false,
  });
  app.register(tenantRoutes);
  app.register(uiRoutes);
  app.register(reportRoutes, { reportsDir: options.reportsDir });
  app.register(
    async (api) => {
      requireTenant(api);
      api.register(customerRoutes);
      api.register(productRoutes);
      api.register(orderRoutes);
      api.register(analyticsRoutes);
      api.register(devRoutes, { enabled: options.dev ?? false });
    },
    { prefix: '/api' },
  );
  return app;
}
