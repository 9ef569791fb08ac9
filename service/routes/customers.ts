import type { FastifyInstance } from 'fastify';
import type { NewCustomer, PageRequest } from '../../variants/contract';
import * as schema from '../schemas/customers';
import { found } from './not-found';

type ById = { Params: { id: number } };

export default async function customerRoutes(app: FastifyInstance) {
  const { customers } = app.repositories;

  app.get<{ Querystring: PageRequest }>('/customers', { schema: schema.listCustomers }, (req) =>
    customers.list(req.tenant, req.query),
  );

  app.get<ById>('/customers/:id', { schema: schema.getCustomer }, async (req) =>
    found(await customers.get(req.tenant, req.params.id), 'customer', req.params.id),
  );

  app.get<ById>('/customers/:id/orders', { schema: schema.customerOrders }, async (req) =>
    found(await customers.ordersOf(req.tenant, req.params.id), 'customer', req.params.id),
  );

  app.post<{ Body: NewCustomer }>('/customers', { schema: schema.createCustomer }, async (req, reply) =>
    reply.code(201).send(await customers.create(req.tenant, req.body)),
  );
}
