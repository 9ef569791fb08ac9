import type { FastifyInstance } from 'fastify';
import type { NewProduct, PageRequest, ProductChanges } from '../../variants/contract';
import * as schema from '../schemas/products';
import { found } from './not-found';

type ById = { Params: { id: number } };
const tags = ['products'];

export default async function productRoutes(app: FastifyInstance) {
  const { products } = app.repositories;

  app.get<{ Querystring: PageRequest }>('/products', { schema: { ...schema.listProducts, tags, summary: 'List products (paginated)' } }, (req) =>
    products.list(req.tenant, req.query),
  );

  app.get<ById>('/products/:id', { schema: { ...schema.getProduct, tags, summary: 'Read a product' } }, async (req) =>
    found(await products.get(req.tenant, req.params.id), 'product', req.params.id),
  );

  app.post<{ Body: NewProduct }>('/products', { schema: { ...schema.createProduct, tags, summary: 'Create a product (SKU unique per shop)' } }, async (req, reply) =>
    reply.code(201).send(await products.create(req.tenant, req.body)),
  );

  app.patch<ById & { Body: ProductChanges }>('/products/:id', { schema: { ...schema.updateProduct, tags, summary: 'Change a product; orders already placed keep their prices' } }, async (req) =>
    found(await products.update(req.tenant, req.params.id, req.body), 'product', req.params.id),
  );
}
