// Row <-> domain mapping every variant shares, so that diffing two variants shows only where their logic differs.
import type { Customer, Order, OrderItem, OrderStatus, Product, Tenant } from '../contract';

type Row = Record<string, unknown>;

/** node-postgres returns int8 (count, sum) as strings, pg-mem as numbers. */
export const num = (value: unknown): number => Number(value ?? 0);

const iso = (value: unknown): string => new Date(value as string | Date).toISOString();
const isoOrNull = (value: unknown): string | null => (value == null ? null : iso(value));

/** The UTC calendar day of a timestamp, as YYYY-MM-DD. */
export const utcDay = (value: unknown): string => iso(value).slice(0, 10);

/** Orders that count as revenue in analytics. */
export const REVENUE_STATUSES = ['paid', 'shipped'] as const;

export function toTenant(row: Row): Tenant {
  return { id: String(row.id), name: String(row.name), createdAt: iso(row.created_at) };
}

export function toCustomer(row: Row): Customer {
  return {
    id: num(row.id),
    name: String(row.name),
    email: String(row.email),
    isActive: row.is_active === true,
    createdAt: iso(row.created_at),
  };
}

export function toProduct(row: Row): Product {
  return {
    id: num(row.id),
    sku: String(row.sku),
    name: String(row.name),
    priceCents: num(row.price_cents),
    stock: row.stock == null ? null : num(row.stock),
    available: row.available === true,
    createdAt: iso(row.created_at),
  };
}

export function toItem(row: Row): OrderItem {
  return {
    id: num(row.id),
    productId: num(row.product_id),
    sku: String(row.sku),
    quantity: num(row.quantity),
    unitPriceCents: num(row.unit_price_cents),
  };
}

/** `row` is an orders row plus the customer's email as `customer_email`. */
export function toOrder(row: Row, items: OrderItem[]): Order {
  return {
    id: num(row.id),
    customerId: num(row.customer_id),
    customerEmail: String(row.customer_email),
    status: row.status as OrderStatus,
    totalCents: num(row.total_cents),
    isArchived: row.is_archived === true,
    deletedAt: isoOrNull(row.deleted_at),
    notificationSentAt: isoOrNull(row.notification_sent_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    items,
  };
}

/** Groups item rows by order id, keeping their order. */
export function itemsByOrder(rows: Row[]): Map<number, OrderItem[]> {
  const byOrder = new Map<number, OrderItem[]>();
  for (const row of rows) {
    const id = num(row.order_id);
    const list = byOrder.get(id) ?? [];
    list.push(toItem(row));
    byOrder.set(id, list);
  }
  return byOrder;
}

export function lineTotal(items: { quantity: number; unitPriceCents: number }[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
