import type { FastifyInstance } from 'fastify';
import * as schema from '../schemas/tenants';
import { found } from './not-found';

/** Shops are created outside the /api scope: creating one cannot require one. */
export default async function tenantRoutes(app: FastifyInstance) {
  const { tenants } = app.repositories;

  app.post<{ Body: { id: string; name: string } }>('/tenants', { schema: { ...schema.createTenant, tags: ['shops'], summary: 'Create a shop' } }, async (req, reply) =>
    reply.code(201).send(await tenants.create(req.body)),
  );

  app.get<{ Params: { id: string } }>('/tenants/:id', { schema: { ...schema.getTenant, tags: ['shops'], summary: 'Read a shop' } }, async (req) =>
    found(await tenants.get(req.params.id), 'tenant', req.params.id),
  );
}
