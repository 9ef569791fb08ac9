import * as schema from '../schemas/tenants';
import type { RoutePlugin } from '../schemas/types';
import { found } from './not-found';

/** Shops are created outside the /api scope: creating one cannot require one. */
const tenantRoutes: RoutePlugin = async (app) => {
  const { tenants } = app.repositories;

  app.post('/tenants', { schema: { ...schema.createTenant, tags: ['shops'], summary: 'Create a shop' } }, async (req, reply) =>
    reply.code(201).send(await tenants.create(req.body)),
  );

  app.get('/tenants/:id', { schema: { ...schema.getTenant, tags: ['shops'], summary: 'Read a shop' } }, async (req) =>
    found(await tenants.get(req.params.id), 'tenant', req.params.id),
  );
};

export default tenantRoutes;
