// What a soak must show, computed from what it measured and what the database holds at the end:
// no 5xx, no 4xx but the out-of-stock 409, every request answered, the service still running,
// every order accounted for, and stock conserved. Pure, so a test can feed it broken cases.
import type { MixResult } from '../load-mix';

export interface ProductStock {
  id: number;
  sku: string;
  /** null: unlimited. */
  stock: number | null;
}

export interface SoldItem {
  productId: number;
  quantity: number;
}

export interface StockLine {
  productId: number;
  sku: string;
  initial: number | null;
  current: number | null;
  /** Units in the orders placed during the soak. */
  sold: number;
}

export interface Conservation {
  ok: boolean;
  /** Products with a stock at the start: the ones conservation is about. */
  limited: StockLine[];
  /** Unlimited products: what they sold, for the record. */
  unlimited: StockLine[];
  problems: string[];
}

/** The rows of a tenant snapshot (harness/db/bulk-load.ts snapshotTenant) this module reads. */
export interface StockSnapshot {
  products: { id: unknown; sku: unknown; stock: unknown }[];
  orders: { id: unknown }[];
  items: { order_id: number; product_id: number; quantity: number }[];
}

export const productStocks = (snapshot: StockSnapshot): ProductStock[] =>
  snapshot.products.map((p) => ({ id: Number(p.id), sku: String(p.sku), stock: p.stock === null ? null : Number(p.stock) }));

/**
 * The items of every order the soak placed, whatever became of the order: neither variant gives
 * stock back on cancel (variants/fixed/order-flows.ts), and a deleted order keeps its row.
 */
export function soldDuringSoak(snapshot: StockSnapshot, loadedOrderIds: ReadonlySet<number>): SoldItem[] {
  return snapshot.items.filter((item) => !loadedOrderIds.has(item.order_id)).map((item) => ({ productId: item.product_id, quantity: item.quantity }));
}

/** Equal for two snapshots when no order committed between them: what settles a snapshot. */
export const stockFingerprint = (snapshot: StockSnapshot): string =>
  JSON.stringify([snapshot.orders.length, snapshot.items.length, productStocks(snapshot).map((p) => p.stock)]);

export const ordersPlacedDuringSoak = (snapshot: StockSnapshot, loadedOrderIds: ReadonlySet<number>): number =>
  snapshot.orders.filter((order) => !loadedOrderIds.has(Number(order.id))).length;

/**
 * For every product with a stock: stock at the start = stock at the end + units sold, and the
 * stock never below zero. An unlimited product must stay unlimited.
 */
export function checkStockConservation(initial: ProductStock[], current: ProductStock[], sold: SoldItem[]): Conservation {
  const problems: string[] = [];
  const soldBy = new Map<number, number>();
  for (const item of sold) soldBy.set(item.productId, (soldBy.get(item.productId) ?? 0) + item.quantity);
  const now = new Map(current.map((p) => [p.id, p]));
  const lines = initial.map((p): StockLine => ({ productId: p.id, sku: p.sku, initial: p.stock, current: now.get(p.id)?.stock ?? null, sold: soldBy.get(p.id) ?? 0 }));

  for (const line of lines) {
    if (!now.has(line.productId)) problems.push(`${line.sku}: gone from the database`);
    else if (line.initial === null) {
      if (line.current !== null) problems.push(`${line.sku}: unlimited at the start, ${line.current} at the end`);
    } else if (line.current === null) problems.push(`${line.sku}: ${line.initial} at the start, unlimited at the end`);
    else {
      if (line.current < 0) problems.push(`${line.sku}: stock ${line.current}, below zero`);
      const unaccounted = line.initial - line.current - line.sold;
      if (unaccounted !== 0) {
        problems.push(
          `${line.sku}: ${line.initial} at the start, ${line.sold} sold, ${line.current} at the end: ` +
            (unaccounted > 0 ? `${unaccounted} units gone without an order` : `${-unaccounted} units sold that were not in stock`),
        );
      }
    }
  }
  const known = new Set(initial.map((p) => p.id));
  for (const productId of soldBy.keys()) if (!known.has(productId)) problems.push(`product ${productId}: sold, but not in the shop at the start`);
  return {
    ok: problems.length === 0,
    limited: lines.filter((l) => l.initial !== null),
    unlimited: lines.filter((l) => l.initial === null),
    problems,
  };
}

export interface StatusClasses {
  answers: number;
  success: number;
  outOfStock: number;
  otherClientErrors: number;
  serverErrors: number;
}

/** Answers by kind; 409 is the only 4xx the mix expects (soak-plan.ts). */
export function classify(statusCodes: Record<string, number>): StatusClasses {
  const classes: StatusClasses = { answers: 0, success: 0, outOfStock: 0, otherClientErrors: 0, serverErrors: 0 };
  for (const [status, count] of Object.entries(statusCodes)) {
    const code = Number(status);
    classes.answers += count;
    if (code >= 500) classes.serverErrors += count;
    else if (code === 409) classes.outOfStock += count;
    else if (code >= 400) classes.otherClientErrors += count;
    else if (code >= 200 && code < 300) classes.success += count;
  }
  return classes;
}

/** Counts by status added up. */
export function addCounts(counts: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const each of counts) for (const [status, count] of Object.entries(each)) total[status] = (total[status] ?? 0) + count;
  return total;
}

/** Status counts of several runs (warm-up and soak) added up, by shape. */
export function mergeByShape(runs: MixResult[]): MixResult['byShape'] {
  const shapes = [...new Set(runs.flatMap((run) => Object.keys(run.byShape)))];
  return Object.fromEntries(shapes.map((shape) => [shape, addCounts(runs.map((run) => run.byShape[shape] ?? {}))]));
}

/** e.g. "500 × 3 on orders: place; 404 × 1 on orders: one", for the statuses `wanted` picks. */
export function describeStatuses(byShape: MixResult['byShape'], wanted: (status: number) => boolean): string {
  return Object.entries(byShape)
    .flatMap(([shape, counts]) => Object.entries(counts).filter(([status]) => wanted(Number(status))).map(([status, count]) => `${status} × ${count} on ${shape}`))
    .join('; ');
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CheckInput {
  /** The warm-up and the soak itself: every answer counts. */
  runs: MixResult[];
  conservation: Conservation;
  /** Why the service process ended, if it did. */
  serviceExit?: string;
  /** Orders in the database that the soak placed, and the 201 answers it got for placing one. */
  ordersInDatabase: number;
  placedAnswers: number;
  /** Requests that may have been in flight when autocannon stopped: their answers were never counted. */
  inFlightAllowance: number;
}

export function soakChecks(input: CheckInput): Check[] {
  const byShape = mergeByShape(input.runs);
  const classes = classify(addCounts(input.runs.map((run) => run.statusCodes)));
  const errors = input.runs.reduce((sum, run) => sum + run.errors, 0);
  const timeouts = input.runs.reduce((sum, run) => sum + run.timeouts, 0);
  const unanswered = input.ordersInDatabase - input.placedAnswers;
  const { conservation } = input;
  return [
    {
      name: 'no 5xx',
      ok: classes.serverErrors === 0,
      detail: classes.serverErrors === 0 ? `0 of ${classes.answers} answers` : `${classes.serverErrors} of ${classes.answers} answers: ${describeStatuses(byShape, (s) => s >= 500)}`,
    },
    {
      name: 'every 4xx is a 409 (out of stock)',
      ok: classes.otherClientErrors === 0,
      detail: classes.otherClientErrors === 0 ? `${classes.outOfStock} × 409, no other 4xx` : `${classes.otherClientErrors} other 4xx: ${describeStatuses(byShape, (s) => s >= 400 && s < 500 && s !== 409)}`,
    },
    {
      name: 'every request answered',
      ok: errors === 0 && timeouts === 0,
      detail: `${errors} connection errors, ${timeouts} timeouts`,
    },
    {
      name: 'the service process lived through it',
      ok: input.serviceExit === undefined,
      detail: input.serviceExit ?? 'still running at the end',
    },
    {
      name: 'every order in the database was answered 201',
      ok: unanswered >= 0 && unanswered <= input.inFlightAllowance,
      detail:
        `${input.ordersInDatabase} orders placed in the database, ${input.placedAnswers} answered 201` +
        (unanswered > 0 ? ` (${unanswered} in flight when the load stopped; at most ${input.inFlightAllowance} can be)` : unanswered < 0 ? `: ${-unanswered} answers for orders the database does not hold` : ''),
    },
    {
      name: 'stock conserved',
      ok: conservation.ok,
      detail: conservation.ok
        ? `${conservation.limited.length} products with a stock: start = end + units sold, none below 0; ${conservation.unlimited.length} unlimited stayed unlimited`
        : conservation.problems.slice(0, 5).join('; ') + (conservation.problems.length > 5 ? `; and ${conservation.problems.length - 5} more` : ''),
    },
  ];
}
