// One mapping from errors to HTTP, and one error shape everywhere, {statusCode, error, message}
// as application/json; charset=utf-8: for the client's mistakes a 4xx, for anything else a 500
// that leaks nothing. That includes what never reaches a route: unknown routes, URLs that do not
// decode, over-long path parameters, requests the HTTP parser refuses, and CONNECT.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export const JSON_TYPE = 'application/json; charset=utf-8';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** Headers every response carries, errors included: nothing here is for a cache or a sniffer. */
export const SAFE_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const allowed = first?.params?.allowedValues;
  // Ajv's enum message does not say what is allowed; the client needs exactly that.
  if (first?.keyword === 'enum' && Array.isArray(allowed)) {
    return `${error.message}: ${allowed.join(', ')}`;
  }
  return error.message;
}

/** Fastify's `frameworkErrors`: a URL that does not decode (400) or a path parameter too long (414). */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.code(statusCode).type(JSON_TYPE).send(errorBody(statusCode, error.message));
}

/** A response written straight to the socket, for requests the HTTP server never hands to Fastify. */
function rawResponse(statusCode: number, message: string, extraHeaders: Record<string, string> = {}): string {
  const body = JSON.stringify(errorBody(statusCode, message));
  const headers = {
    'content-type': JSON_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    ...SAFE_HEADERS,
    ...extraHeaders,
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Fastify's `clientErrorHandler`: bytes that are not HTTP, headers too large, a request too slow. */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [statusCode, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'the request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'the request headers are too large']
        : [400, 'the request is not valid HTTP/1.1'];
  this.log.debug({ err: error }, 'refused a malformed request');
  if (socket.writable) socket.end(rawResponse(statusCode, message));
  else socket.destroy();
}

/** Node hands CONNECT to a 'connect' listener, never to Fastify; without one it drops the socket. */
export function refuseConnect(_request: IncomingMessage, socket: Duplex): void {
  socket.end(rawResponse(405, 'CONNECT is not supported: this server is not a proxy', { allow: 'GET, HEAD, POST, PATCH, DELETE' }));
}

export default fp(
  async (app) => {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-content-type-options', SAFE_HEADERS['x-content-type-options']);
      // Tenant data must not sit in a shared cache; a route that wants caching says so itself.
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', SAFE_HEADERS['cache-control']);
      return payload;
    });

    app.setNotFoundHandler((request, reply) =>
      reply.code(404).type(JSON_TYPE).send(errorBody(404, `Route ${request.method}:${request.url} not found`)),
    );

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const statusCode = error.validation ? 400 : error.statusCode;
      if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
        return reply.code(statusCode).type(JSON_TYPE).send(errorBody(statusCode, error.validation ? validationMessage(error) : error.message));
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).type(JSON_TYPE).send(errorBody(500, 'Internal Server Error'));
    });
  },
  { name: 'errors' },
);
