import type { FastifyInstance } from 'fastify';
import type { OrderListQuery, PlaceOrderInput } from '../../variants/contract';
import * as schema from '../schemas/orders';
import { found } from './not-found';

type ById = { Params: { id: number } };
const tags = ['orders'];

export default async function orderRoutes(app: FastifyInstance) {
  const { orders, orderFlows } = app.repositories;

  app.get<{ Querystring: OrderListQuery }>('/orders', { schema: { ...schema.listOrders, tags, summary: 'List orders (paginated; archived and deleted hidden; status and email filters)' } }, (req) =>
    orders.list(req.tenant, req.query),
  );

  app.get<{ Querystring: { limit: number } }>('/orders/summary', { schema: { ...schema.summary, tags, summary: 'Top customers by money spent on paid, non-archived orders' } }, async (req) => ({
    limit: req.query.limit,
    rows: await orders.summary(req.tenant, req.query.limit),
  }));

  app.get<ById>('/orders/:id', { schema: { ...schema.orderById, tags, summary: 'Read an order (archived and deleted ones too)' } }, async (req) =>
    found(await orders.get(req.tenant, req.params.id), 'order', req.params.id),
  );

  app.post<{ Body: PlaceOrderInput }>('/orders', { schema: { ...schema.placeOrder, tags, summary: 'Place an order: checks and takes stock, sends the confirmation' } }, async (req, reply) =>
    reply.code(201).send(await orderFlows.place(req.tenant, req.body)),
  );

  app.post<ById>('/orders/:id/cancel', { schema: { ...schema.orderById, tags, summary: 'Cancel an order' } }, async (req) =>
    found(await orderFlows.cancel(req.tenant, req.params.id), 'order', req.params.id),
  );

  app.post<ById>('/orders/:id/archive', { schema: { ...schema.orderById, tags, summary: 'Archive an order' } }, async (req) =>
    found(await orders.archive(req.tenant, req.params.id), 'order', req.params.id),
  );

  app.delete<ById>('/orders/:id', { schema: { ...schema.deleteOrder, tags, summary: 'Soft delete an order' } }, async (req, reply) => {
    found((await orders.softDelete(req.tenant, req.params.id)) || null, 'order', req.params.id);
    return reply.code(204).send();
  });
}
