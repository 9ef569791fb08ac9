// What the right answers are, computed in plain code from the data a scenario loaded itself.
// Nothing here reads the service: an oracle that asked the code under test would prove nothing.
import type { Dataset, LoadedOrder } from '../harness/scenario';

const lineTotal = (order: LoadedOrder) => order.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);

/** Orders the list shows: not archived (the loader never soft-deletes). */
export const listedOrders = (data: Dataset) => data.orders.filter((order) => !order.isArchived);

export function emailOf(data: Dataset, customerId: number): string {
  return data.customers.find((c) => c.id === customerId)!.email;
}

/** The summary's meaning: the `limit` newest active customers, ranked by paid, non-archived spend. */
export function expectedSummary(data: Dataset, limit: number) {
  const newest = data.customers
    .filter((c) => c.isActive)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
    .slice(0, limit);
  return newest
    .map((customer, rank) => {
      const paid = data.orders.filter((o) => o.customerId === customer.id && o.status === 'paid' && !o.isArchived);
      return { rank, row: { customerId: customer.id, email: customer.email, orderCount: paid.length, totalCents: paid.reduce((sum, o) => sum + lineTotal(o), 0) } };
    })
    .sort((a, b) => b.row.totalCents - a.row.totalCents || a.rank - b.rank)
    .map(({ row }) => row);
}

/** Analytics counts paid and shipped orders, at the price customers paid. */
export function expectedAnalytics(data: Dataset) {
  const counted = data.orders.filter((o) => o.status === 'paid' || o.status === 'shipped');
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
