import * as schema from '../schemas/analytics';
import type { RoutePlugin } from '../schemas/types';

const analyticsRoutes: RoutePlugin = async (app) => {
  app.get('/analytics', { schema: { ...schema.analytics, tags: ['analytics'], summary: 'Total orders and revenue, the top 5 items, orders by UTC day' } }, (req) => app.repositories.analytics.compute(req.tenant));

  // The load floor: the same stack (tenant check, Server-Timing) and one trivial query.
  app.get('/ping', { schema: { tags: ['service'], summary: 'One trivial query: the floor load tests compare against', response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } as const }, async () => {
    await app.repositories.health.ping();
    return { ok: true };
  });
};

export default analyticsRoutes;
