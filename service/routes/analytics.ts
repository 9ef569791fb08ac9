import type { FastifyInstance } from 'fastify';
import * as schema from '../schemas/analytics';

export default async function analyticsRoutes(app: FastifyInstance) {
  app.get('/analytics', { schema: schema.analytics }, (req) => app.repositories.analytics.compute(req.tenant));

  // The load floor: the same stack (tenant check, Server-Timing) and one trivial query.
  app.get('/ping', { schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => {
    await app.repositories.health.ping();
    return { ok: true };
  });
}
