import type { Knex } from 'knex';
import type { DevTools } from '../contract';
import { ensureProducts, firstCustomerNumber, minutesAgo, planSeed } from '../shared/seed-plan';

const CHUNK = 500;

async function insertChunked(trx: Knex.Transaction, table: string, rows: object[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await trx(table).insert(rows.slice(i, i + CHUNK)).returning('id');
    ids.push(...inserted.map((row: { id: number }) => Number(row.id)));
  }
  return ids;
}

/** All or nothing, in a handful of multi-row inserts; each order's total computed before it is written. */
export function createDevTools(knex: Knex): DevTools {
  return {
    seed: (tenant, request) =>
      knex.transaction(async (trx) => {
        const plan = planSeed(request, await firstCustomerNumber(trx, tenant));
        const products = await ensureProducts(trx, tenant, plan.products);
        const customerIds = await insertChunked(
          trx,
          'customers',
          plan.customers.map((c) => ({ tenant_id: tenant, name: c.name, email: c.email })),
        );
        const orders = plan.customers.flatMap((c, i) =>
          c.orders.map((o) => ({
            customerId: customerIds[i]!,
            ...o,
            lines: o.items.map((item) => ({ ...item, product: products.get(item.sku)! })),
          })),
        );
        const orderIds = await insertChunked(
          trx,
          'orders',
          orders.map((o) => ({
            tenant_id: tenant,
            customer_id: o.customerId,
            status: o.status,
            total_cents: o.lines.reduce((sum, l) => sum + l.quantity * l.product.priceCents, 0),
            created_at: minutesAgo(o.ageMinutes),
            updated_at: minutesAgo(o.ageMinutes),
          })),
        );
        const items = orders.flatMap((o, i) =>
          o.lines.map((l) => ({
            order_id: orderIds[i],
            product_id: l.product.id,
            sku: l.sku,
            quantity: l.quantity,
            unit_price_cents: l.product.priceCents,
          })),
        );
        await insertChunked(trx, 'order_items', items);
        return { customers: customerIds.length, orders: orderIds.length, items: items.length, products: products.size };
      }),
  };
}
