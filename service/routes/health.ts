import type { RoutePlugin } from '../schemas/types';

export interface AboutServer {
  variant: string;
  backend: string;
  dev: boolean;
}

const healthRoutes: RoutePlugin<AboutServer> = async (app, about) => {
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
      } as const,
    },
    async () => {
      await app.repositories.health.ping();
      return { status: 'ok', ...about };
    },
  );
};

export default healthRoutes;
