// Every response carries the SQL it cost as a standard Server-Timing header, so query counts
// can be read over HTTP, under load, and from outside the process.
import fp from 'fastify-plugin';
import { formatServerTiming, type QueryStats } from '../shared/server-timing';

export type { QueryStats };

/**
 * Attributes database queries to requests. The service declares what it needs; the harness
 * implements it (AsyncLocalStorage over knex query events), so service/ never imports harness/.
 */
export interface QueryMeter {
  /** Calls `next` so that every query issued from it on is attributed to `requestId`. */
  run(requestId: string, next: () => void): void;
  /** Stops attributing queries to `requestId` and returns what it cost. */
  finish(requestId: string): QueryStats;
}

export default fp<{ meter: QueryMeter }>(
  async (app, { meter }) => {
    app.addHook('onRequest', (request, _reply, done) => meter.run(request.id, done));
    app.addHook('onSend', async (request, reply, payload) => {
      reply.header('server-timing', formatServerTiming(meter.finish(request.id)));
      // The key under which the meter kept this request's SQL, for whoever wants to look at it.
      reply.header('x-request-id', request.id);
      return payload;
    });
  },
  { name: 'server-timing' },
);
