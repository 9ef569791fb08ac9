import type { FastifyInstance } from 'fastify';
import { DomainError, type SeedRequest } from '../../variants/contract';
import * as schema from '../schemas/dev';

export default async function devRoutes(app: FastifyInstance, options: { enabled: boolean }) {
  app.post<{ Body: SeedRequest }>(
    '/dev/seed',
    {
      schema: { ...schema.seed, tags: ['dev'], summary: 'Seed sample data (dev mode only)' },
      // An empty POST means "the defaults".
      preValidation: async (req) => {
        req.body ??= {} as SeedRequest;
      },
    },
    async (req, reply) => {
      if (!options.enabled) {
        throw new DomainError(403, 'seeding is only available when the server runs in dev mode');
      }
      return reply.code(201).send(await app.repositories.dev.seed(req.tenant, req.body));
    },
  );
}
