// One mapping from errors to HTTP: the client's mistakes become 4xx with Fastify's usual
// {statusCode, error, message} body; anything else is a 500 that leaks nothing.
import { STATUS_CODES } from 'node:http';
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const allowed = first?.params?.allowedValues;
  // Ajv's enum message does not say what is allowed; the client needs exactly that.
  if (first?.keyword === 'enum' && Array.isArray(allowed)) {
    return `${error.message}: ${allowed.join(', ')}`;
  }
  return error.message;
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const statusCode = error.validation ? 400 : error.statusCode;
      if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
        return reply.code(statusCode).send({
          statusCode,
          error: STATUS_CODES[statusCode] ?? 'Client Error',
          message: error.validation ? validationMessage(error) : error.message,
        });
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'Internal Server Error' });
    });
  },
  { name: 'errors' },
);
