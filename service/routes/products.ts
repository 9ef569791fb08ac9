import * as schema from '../schemas/products';
import type { RoutePlugin } from '../schemas/types';
import { found } from './not-found';

const tags = ['products'];

const productRoutes: RoutePlugin = async (app) => {
  const { products } = app.repositories;

  app.get('/products', { schema: { ...schema.listProducts, tags, summary: 'List products (paginated)' } }, (req) =>
    products.list(req.tenant, req.query),
  );

  app.get('/products/:id', { schema: { ...schema.getProduct, tags, summary: 'Read a product' } }, async (req) =>
    found(await products.get(req.tenant, req.params.id), 'product', req.params.id),
  );

  app.post('/products', { schema: { ...schema.createProduct, tags, summary: 'Create a product (SKU unique per shop)' } }, async (req, reply) =>
    reply.code(201).send(await products.create(req.tenant, req.body)),
  );

  app.patch('/products/:id', { schema: { ...schema.updateProduct, tags, summary: 'Change a product; orders already placed keep their prices' } }, async (req) =>
    found(await products.update(req.tenant, req.params.id, req.body), 'product', req.params.id),
  );
};

export default productRoutes;
