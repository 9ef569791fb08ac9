import * as schema from '../schemas/orders';
import type { RoutePlugin } from '../schemas/types';
import { found } from './not-found';

const tags = ['orders'];

const orderRoutes: RoutePlugin = async (app) => {
  const { orders, orderFlows } = app.repositories;

  app.get('/orders', { schema: { ...schema.listOrders, tags, summary: 'List orders (paginated; archived and deleted hidden; status and email filters)' } }, (req) =>
    orders.list(req.tenant, req.query),
  );

  app.get('/orders/summary', { schema: { ...schema.summary, tags, summary: 'Top customers by money spent on paid, non-archived orders' } }, async (req) => ({
    limit: req.query.limit,
    rows: await orders.summary(req.tenant, req.query.limit),
  }));

  app.get('/orders/:id', { schema: { ...schema.orderById, tags, summary: 'Read an order (archived and deleted ones too)' } }, async (req) =>
    found(await orders.get(req.tenant, req.params.id), 'order', req.params.id),
  );

  app.post('/orders', { schema: { ...schema.placeOrder, tags, summary: 'Place an order: checks and takes stock, sends the confirmation' } }, async (req, reply) =>
    reply.code(201).send(await orderFlows.place(req.tenant, req.body)),
  );

  app.post('/orders/:id/cancel', { schema: { ...schema.orderById, tags, summary: 'Cancel an order' } }, async (req) =>
    found(await orderFlows.cancel(req.tenant, req.params.id), 'order', req.params.id),
  );

  app.post('/orders/:id/archive', { schema: { ...schema.orderById, tags, summary: 'Archive an order' } }, async (req) =>
    found(await orders.archive(req.tenant, req.params.id), 'order', req.params.id),
  );

  app.delete('/orders/:id', { schema: { ...schema.deleteOrder, tags, summary: 'Soft delete an order' } }, async (req, reply) => {
    found((await orders.softDelete(req.tenant, req.params.id)) || null, 'order', req.params.id);
    return reply.code(204).send();
  });
};

export default orderRoutes;
