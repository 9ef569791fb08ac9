// Loads a scenario's data straight into the tables, the same way whatever variant is under
// test, so setup cost never depends on the variant. Returns what it wrote: scenarios compute
// their oracles from this, never from the code under test.
import type { Knex } from 'knex';
import { randomSource } from '../../variants/shared/random';

export interface DatasetSpec {
  tenant: string;
  customers: number;
  ordersPerCustomer: number;
  itemsPerOrder: number;
  /** Distinct products to order from (default 20). */
  products?: number;
  /** Stock of every product; null (the default) means unlimited. */
  stock?: number | null;
  /** Share of items bought at an older price than the product's current one (default 0.2). */
  priceChangedShare?: number;
  seed?: number;
}

export interface LoadedItem {
  productId: number;
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface LoadedOrder {
  id: number;
  customerId: number;
  status: 'draft' | 'paid' | 'shipped' | 'cancelled';
  totalCents: number;
  isArchived: boolean;
  createdAt: string;
  items: LoadedItem[];
}

export interface Dataset {
  tenant: string;
  customers: { id: number; name: string; email: string; isActive: boolean; createdAt: string }[];
  products: { id: number; sku: string; name: string; priceCents: number; stock: number | null; available: boolean }[];
  orders: LoadedOrder[];
}

const STATUS_WEIGHTS = [
  ['paid', 0.5],
  ['draft', 0.2],
  ['shipped', 0.15],
  ['cancelled', 0.15],
] as const;
const PRICES_CENTS = [199, 499, 999, 1499, 2499];
const CHUNK = 1000;
const DAY_MS = 86_400_000;

async function insertAll(knex: Knex, table: string, rows: object[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await knex(table).insert(rows.slice(i, i + CHUNK)).returning('id');
    ids.push(...inserted.map((row: { id: number }) => Number(row.id)));
  }
  return ids;
}

/**
 * `analyze`: refresh the planner's statistics afterwards, as autovacuum does on a live database
 * (PostgreSQL only). Without them a fresh bulk load is planned as if the tables were empty, and a
 * one-query summary runs nested loops, many times slower than it would in production.
 */
export async function loadDataset(knex: Knex, spec: DatasetSpec, { analyze = false } = {}): Promise<Dataset> {
  const random = randomSource(spec.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const anchor = Date.now();
  await knex('tenants').insert({ id: spec.tenant, name: `Shop ${spec.tenant}` });

  const productRows = Array.from({ length: spec.products ?? 20 }, (_, i) => ({
    tenant_id: spec.tenant,
    sku: `SKU-${i + 1}`,
    name: `Product ${i + 1}`,
    price_cents: pick(PRICES_CENTS),
    stock: spec.stock ?? null,
    available: true,
  }));
  const productIds = await insertAll(knex, 'products', productRows);
  const products = productRows.map((p, i) => ({
    id: productIds[i]!,
    sku: p.sku,
    name: p.name,
    priceCents: p.price_cents,
    stock: p.stock,
    available: true,
  }));

  // One minute apart, oldest first: "newest customers" is unambiguous.
  const customerRows = Array.from({ length: spec.customers }, (_, i) => ({
    tenant_id: spec.tenant,
    name: `Customer ${i + 1}`,
    email: `customer${i + 1}@${spec.tenant}.example`,
    is_active: (i + 1) % 10 !== 0,
    created_at: new Date(anchor - 31 * DAY_MS + i * 60_000),
  }));
  const customerIds = await insertAll(knex, 'customers', customerRows);
  const customers = customerRows.map((c, i) => ({
    id: customerIds[i]!,
    name: c.name,
    email: c.email,
    isActive: c.is_active,
    createdAt: c.created_at.toISOString(),
  }));

  const planned = customers.flatMap((customer) =>
    Array.from({ length: spec.ordersPerCustomer }, () => {
      let r = random();
      const status = (STATUS_WEIGHTS.find(([, weight]) => (r -= weight) < 0)?.[0] ?? 'paid') as LoadedOrder['status'];
      const items = Array.from({ length: spec.itemsPerOrder }, () => {
        const product = pick(products);
        const older = random() < (spec.priceChangedShare ?? 0.2);
        return {
          productId: product.id,
          sku: product.sku,
          quantity: 1 + Math.floor(random() * 5),
          unitPriceCents: older ? Math.max(50, product.priceCents - 100) : product.priceCents,
        };
      });
      return {
        customerId: customer.id,
        status,
        totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
        isArchived: random() < 0.1,
        createdAt: new Date(anchor - Math.floor(random() * 30 * DAY_MS)).toISOString(),
        items,
      };
    }),
  );
  const orderIds = await insertAll(
    knex,
    'orders',
    planned.map((o) => ({
      tenant_id: spec.tenant,
      customer_id: o.customerId,
      status: o.status,
      total_cents: o.totalCents,
      is_archived: o.isArchived,
      created_at: o.createdAt,
      updated_at: o.createdAt,
    })),
  );
  const orders = planned.map((o, i) => ({ id: orderIds[i]!, ...o }));
  await insertAll(
    knex,
    'order_items',
    orders.flatMap((o) =>
      o.items.map((item) => ({
        order_id: o.id,
        product_id: item.productId,
        sku: item.sku,
        quantity: item.quantity,
        unit_price_cents: item.unitPriceCents,
      })),
    ),
  );
  if (analyze) await knex.raw('analyze tenants, products, customers, orders, order_items');
  return { tenant: spec.tenant, customers, products, orders };
}

/** Reads back every row of a shop, for before/after evidence. */
export async function snapshotTenant(knex: Knex, tenant: string) {
  const [customers, products, orders, notifications] = await Promise.all([
    knex('customers').where({ tenant_id: tenant }).orderBy('id'),
    knex('products').where({ tenant_id: tenant }).orderBy('id'),
    knex('orders').where({ tenant_id: tenant }).orderBy('id'),
    knex('sent_notifications').where({ tenant_id: tenant }).orderBy('id'),
  ]);
  const items = orders.length
    ? await knex('order_items').whereIn('order_id', orders.map((o) => o.id)).orderBy('id')
    : [];
  return {
    customers: customers.length,
    products,
    orders,
    items: items.map((i) => ({ order_id: Number(i.order_id), product_id: Number(i.product_id), quantity: Number(i.quantity), unit_price_cents: Number(i.unit_price_cents) })),
    notifications: notifications.map((n) => ({ order_id: Number(n.order_id), kind: String(n.kind), sent_at: new Date(n.sent_at).toISOString() })),
  };
}
