// What the right answers are, computed in plain code from the data a scenario loaded itself.
// Nothing here reads the service: an oracle that asked the code under test would prove nothing.
import type { Dataset, LoadedOrder, TenantSnapshot } from '../harness/scenario';

/** An order as the scenario knows it: loaded or placed by itself, with the writes it made since. */
export type KnownOrder = LoadedOrder & { deletedAt?: string | null };

/** A shop's data as the scenario knows it. The loader never soft-deletes; a scenario's DELETE does. */
export interface Known extends Dataset {
  orders: KnownOrder[];
}

const lineTotal = (order: LoadedOrder) => order.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
const live = (order: KnownOrder) => !order.deletedAt;

/** Orders the list shows: neither archived nor soft-deleted. */
export const listedOrders = (data: Known) => data.orders.filter((order) => !order.isArchived && live(order));

/**
 * The order a scenario placed, from what it sent: the products' known prices, the id and the
 * creation time the 201 gave it.
 */
export function placedOrder(data: Known, answer: { id: number; [field: string]: any }, customerId: number, lines: { productId: number; quantity: number }[]): KnownOrder {
  const items = lines.map(({ productId, quantity }) => {
    const product = data.products.find((p) => p.id === productId)!;
    return { productId, sku: product.sku, quantity, unitPriceCents: product.priceCents };
  });
  const order = { id: answer.id, customerId, status: 'paid' as const, isArchived: false, createdAt: String(answer.createdAt), items, totalCents: 0, deletedAt: null };
  return { ...order, totalCents: lineTotal(order) };
}

/** The known data with one order changed as a write of the scenario changed it. */
export const withOrder = (data: Known, id: number, change: Partial<KnownOrder>): Known => ({
  ...data,
  orders: data.orders.map((order) => (order.id === id ? { ...order, ...change } : order)),
});

/**
 * What is left of the known data once rows another incident's bug destroyed are taken out (the
 * original cancel deletes the customer, its DELETE the order): a read is judged on the data as it
 * is, so one area's bug never fails another area's check. Orders cascade from their customer, so
 * a customer none of whose known orders is left is gone too.
 */
export function surviving(data: Known, rows: TenantSnapshot): { data: Known; destroyed: number[] } {
  const present = new Set(rows.orders.map((row) => Number(row.id)));
  const destroyed = data.orders.filter((order) => !present.has(order.id)).map((order) => order.id);
  const gone = new Set(data.customers.filter((c) => data.orders.some((o) => o.customerId === c.id) && data.orders.every((o) => o.customerId !== c.id || !present.has(o.id))).map((c) => c.id));
  return {
    data: { ...data, customers: data.customers.filter((c) => !gone.has(c.id)), orders: data.orders.filter((order) => present.has(order.id)) },
    destroyed,
  };
}

export function emailOf(data: Dataset, customerId: number): string {
  return data.customers.find((c) => c.id === customerId)!.email;
}

/** The summary's meaning: the `limit` newest active customers, ranked by paid spend on orders neither archived nor deleted. */
export function expectedSummary(data: Known, limit: number) {
  const newest = data.customers
    .filter((c) => c.isActive)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
    .slice(0, limit);
  return newest
    .map((customer, rank) => {
      const paid = data.orders.filter((o) => o.customerId === customer.id && o.status === 'paid' && !o.isArchived && live(o));
      return { rank, row: { customerId: customer.id, email: customer.email, orderCount: paid.length, totalCents: paid.reduce((sum, o) => sum + lineTotal(o), 0) } };
    })
    .sort((a, b) => b.row.totalCents - a.row.totalCents || a.rank - b.rank)
    .map(({ row }) => row);
}

/** Analytics counts paid and shipped orders that are not deleted (archived ones are history, still counted), at the price customers paid. */
export function expectedAnalytics(data: Known) {
  const counted = data.orders.filter((o) => (o.status === 'paid' || o.status === 'shipped') && live(o));
  const byProduct = new Map<number, { productId: number; quantity: number; revenue: number }>();
  const byDay = new Map<string, { date: string; count: number; revenue: number }>();
  for (const order of counted) {
    const date = order.createdAt.slice(0, 10);
    const day = byDay.get(date) ?? { date, count: 0, revenue: 0 };
    day.count += 1;
    day.revenue += lineTotal(order);
    byDay.set(date, day);
    for (const item of order.items) {
      const entry = byProduct.get(item.productId) ?? { productId: item.productId, quantity: 0, revenue: 0 };
      entry.quantity += item.quantity;
      entry.revenue += item.quantity * item.unitPriceCents;
      byProduct.set(item.productId, entry);
    }
  }
  return {
    totalOrders: counted.length,
    totalRevenue: counted.reduce((sum, o) => sum + lineTotal(o), 0),
    topItems: [...byProduct.values()].sort((a, b) => b.quantity - a.quantity || a.productId - b.productId).slice(0, 5),
    ordersByDay: [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date)),
  };
}

/** Differences between two JSON-able values, as readable paths; empty when equal. */
export function differences(expected: unknown, actual: unknown, path = ''): string[] {
  if (typeof expected !== 'object' || expected === null || typeof actual !== 'object' || actual === null) {
    return expected === actual ? [] : [`${path || 'value'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length !== actual.length) {
    return [`${path || 'list'}: expected ${expected.length} entries, got ${actual.length}`];
  }
  return Object.keys(expected).flatMap((key) =>
    differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key),
  );
}
