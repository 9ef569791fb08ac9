import type { FastifyInstance } from 'fastify';
import type { NewCustomer, PageRequest } from '../../variants/contract';
import * as schema from '../schemas/customers';
import { found } from './not-found';

type ById = { Params: { id: number } };
const tags = ['customers'];

export default async function customerRoutes(app: FastifyInstance) {
  const { customers } = app.repositories;

  app.get<{ Querystring: PageRequest }>('/customers', { schema: { ...schema.listCustomers, tags, summary: 'List customers (paginated)' } }, (req) =>
    customers.list(req.tenant, req.query),
  );

  app.get<ById>('/customers/:id', { schema: { ...schema.getCustomer, tags, summary: 'Read a customer' } }, async (req) =>
    found(await customers.get(req.tenant, req.params.id), 'customer', req.params.id),
  );

  app.get<ById>('/customers/:id/orders', { schema: { ...schema.customerOrders, tags, summary: "The customer's orders with their items (archived and deleted hidden)" } }, async (req) =>
    found(await customers.ordersOf(req.tenant, req.params.id), 'customer', req.params.id),
  );

  app.post<{ Body: NewCustomer }>('/customers', { schema: { ...schema.createCustomer, tags, summary: 'Create a customer (email unique per shop)' } }, async (req, reply) =>
    reply.code(201).send(await customers.create(req.tenant, req.body)),
  );
}
