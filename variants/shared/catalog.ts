// Customers' and products' plain CRUD: no bug of the lab lives here.
import type { Knex } from 'knex';
import { ConflictError, TEXT_LIMITS, ValidationError, type Customer, type NewCustomer, type NewProduct, type Page, type PageRequest, type Product, type ProductChanges, type TenantId } from '../contract';
import { num, toCustomer, toProduct } from './rows';
import { insertOrConflict } from './unique-violation';

async function page<T>(
  query: Knex.QueryBuilder,
  { page, pageSize }: PageRequest,
  map: (row: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const [counted] = await query.clone().count({ n: '*' });
  const rows = await query.orderBy('id', 'asc').limit(pageSize).offset((page - 1) * pageSize);
  return { count: num(counted?.n), page, pageSize, results: rows.map(map) };
}

export function createCustomerCatalog(knex: Knex) {
  return {
    list: (tenant: TenantId, request: PageRequest): Promise<Page<Customer>> =>
      page(knex('customers').where({ tenant_id: tenant }), request, toCustomer),

    async get(tenant: TenantId, id: number): Promise<Customer | null> {
      const row = await knex('customers').where({ tenant_id: tenant, id }).first();
      return row ? toCustomer(row) : null;
    },

    async create(tenant: TenantId, input: NewCustomer): Promise<Customer> {
      const email = input.email.toLowerCase();
      // Lower-casing can lengthen a text (İ becomes i + a combining dot): check what is stored.
      if (email.length > TEXT_LIMITS.email) {
        throw new ValidationError(`email must be at most ${TEXT_LIMITS.email} characters once lower-cased`);
      }
      const [row] = await insertOrConflict(
        () => knex('customers').insert({ tenant_id: tenant, name: input.name, email, is_active: input.isActive ?? true }).returning('*'),
        () => new ConflictError(`a customer with email ${email} already exists`),
      );
      return toCustomer(row);
    },
  };
}

export function createProductCatalog(knex: Knex) {
  return {
    list: (tenant: TenantId, request: PageRequest): Promise<Page<Product>> =>
      page(knex('products').where({ tenant_id: tenant }), request, toProduct),

    async get(tenant: TenantId, id: number): Promise<Product | null> {
      const row = await knex('products').where({ tenant_id: tenant, id }).first();
      return row ? toProduct(row) : null;
    },

    async create(tenant: TenantId, input: NewProduct): Promise<Product> {
      const [row] = await insertOrConflict(
        () =>
          knex('products')
            .insert({
              tenant_id: tenant,
              sku: input.sku,
              name: input.name,
              price_cents: input.priceCents,
              stock: input.stock ?? null,
              available: input.available ?? true,
            })
            .returning('*'),
        () => new ConflictError(`a product with sku ${input.sku} already exists`),
      );
      return toProduct(row);
    },

    async update(tenant: TenantId, id: number, changes: ProductChanges): Promise<Product | null> {
      const columns: Record<string, unknown> = {};
      if (changes.name !== undefined) columns.name = changes.name;
      if (changes.priceCents !== undefined) columns.price_cents = changes.priceCents;
      if (changes.stock !== undefined) columns.stock = changes.stock;
      if (changes.available !== undefined) columns.available = changes.available;
      const [row] = await knex('products').where({ tenant_id: tenant, id }).update(columns).returning('*');
      return row ? toProduct(row) : null;
    },
  };
}

export function createHealthCheck(knex: Knex) {
  return {
    async ping(): Promise<void> {
      await knex.raw('select 1');
    },
  };
}
