import { DomainError } from '../../variants/contract';
import * as schema from '../schemas/dev';
import type { RequestOf, RoutePlugin } from '../schemas/types';

const devRoutes: RoutePlugin<{ enabled: boolean }> = async (app, options) => {
  app.post(
    '/dev/seed',
    {
      schema: { ...schema.seed, tags: ['dev'], summary: 'Seed sample data (dev mode only)' },
      // An empty POST means "the defaults": validation then fills in every defaulted field.
      preValidation: async (req) => {
        req.body ??= {} as RequestOf<typeof schema.seed.body>;
      },
    },
    async (req, reply) => {
      if (!options.enabled) {
        throw new DomainError(403, 'seeding is only available when the server runs in dev mode');
      }
      return reply.code(201).send(await app.repositories.dev.seed(req.tenant, req.body));
    },
  );
};

export default devRoutes;
