import * as schema from '../schemas/customers';
import type { RoutePlugin } from '../schemas/types';
import { found } from './not-found';

const tags = ['customers'];

const customerRoutes: RoutePlugin = async (app) => {
  const { customers } = app.repositories;

  app.get('/customers', { schema: { ...schema.listCustomers, tags, summary: 'List customers (paginated)' } }, (req) =>
    customers.list(req.tenant, req.query),
  );

  app.get('/customers/:id', { schema: { ...schema.getCustomer, tags, summary: 'Read a customer' } }, async (req) =>
    found(await customers.get(req.tenant, req.params.id), 'customer', req.params.id),
  );

  app.get('/customers/:id/orders', { schema: { ...schema.customerOrders, tags, summary: "The customer's orders with their items (archived and deleted hidden)" } }, async (req) =>
    found(await customers.ordersOf(req.tenant, req.params.id), 'customer', req.params.id),
  );

  app.post('/customers', { schema: { ...schema.createCustomer, tags, summary: 'Create a customer (email unique per shop)' } }, async (req, reply) =>
    reply.code(201).send(await customers.create(req.tenant, req.body)),
  );
};

export default customerRoutes;
