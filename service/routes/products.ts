import type { FastifyInstance } from 'fastify';
import type { NewProduct, PageRequest, ProductChanges } from '../../variants/contract';
import * as schema from '../schemas/products';
import { found } from './not-found';

type ById = { Params: { id: number } };

export default async function productRoutes(app: FastifyInstance) {
  const { products } = app.repositories;

  app.get<{ Querystring: PageRequest }>('/products', { schema: schema.listProducts }, (req) =>
    products.list(req.tenant, req.query),
  );

  app.get<ById>('/products/:id', { schema: schema.getProduct }, async (req) =>
    found(await products.get(req.tenant, req.params.id), 'product', req.params.id),
  );

  app.post<{ Body: NewProduct }>('/products', { schema: schema.createProduct }, async (req, reply) =>
    reply.code(201).send(await products.create(req.tenant, req.body)),
  );

  app.patch<ById & { Body: ProductChanges }>('/products/:id', { schema: schema.updateProduct }, async (req) =>
    found(await products.update(req.tenant, req.params.id, req.body), 'product', req.params.id),
  );
}
