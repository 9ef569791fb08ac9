import type { FastifyInstance } from 'fastify';

export interface AboutServer {
  variant: string;
  backend: string;
  dev: boolean;
}

export default async function healthRoutes(app: FastifyInstance, about: AboutServer) {
  app.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        summary: 'Status, variant, backend and whether dev mode is on',
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string' },
              variant: { type: 'string' },
              backend: { type: 'string' },
              dev: { type: 'boolean' },
            },
            required: ['status', 'variant', 'backend', 'dev'],
          },
        },
      },
    },
    async () => {
      await app.repositories.health.ping();
      return { status: 'ok', ...about };
    },
  );
}
