// The contract every variant implements. The HTTP layer in service/ depends on this file and on
// nothing else of ours, so any folder that implements it can stand in for another.
//
// The original code's behaviour is the specification: a change resolves what an incident names
// and keeps every other answer as it was. Where that behaviour is easy to get wrong, the doc
// comments below spell it out (scenarios/rules.ts has the same rules, as the README lists them).
import type { Knex } from 'knex';

export const ORDER_STATUSES = ['draft', 'paid', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The longest text each column holds. Counted in UTF-16 code units (JavaScript's `length`): pg-mem
 * measures varchar that way and PostgreSQL counts code points, so a text within these limits fits
 * on both and the two engines give the same answer. Checked on what is stored (an email after
 * lower-casing), not only on what was sent.
 */
export const TEXT_LIMITS = { tenantName: 120, customerName: 120, email: 254, sku: 64, productName: 120 } as const;

/**
 * The order domain's limits, chosen so that no order total (nor any line's quantity x price, which
 * analytics multiplies in SQL) can pass PostgreSQL's int4: 20 x 1,000 x 100,000 = 2,000,000,000,
 * below 2^31 - 1. pg-mem has no int4 overflow, so without them the engines would disagree.
 */
export const ORDER_LIMITS = { maxLines: 20, maxQuantity: 1_000, maxPriceCents: 100_000 } as const;
export const INT4_MAX = 2_147_483_647;

/** A tenant is a shop. Every /api request names one in X-Tenant-ID. */
export type TenantId = string;

export interface Tenant {
  id: TenantId;
  name: string;
  createdAt: string;
}

export interface Customer {
  id: number;
  name: string;
  email: string;
  isActive: boolean;
  createdAt: string;
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
  /** null means unlimited. */
  stock: number | null;
  available: boolean;
  createdAt: string;
}

export interface OrderItem {
  id: number;
  productId: number;
  sku: string;
  quantity: number;
  /** The price paid, snapshotted when the order was placed. */
  unitPriceCents: number;
}

export interface Order {
  id: number;
  customerId: number;
  customerEmail: string;
  status: OrderStatus;
  totalCents: number;
  isArchived: boolean;
  deletedAt: string | null;
  notificationSentAt: string | null;
  createdAt: string;
  updatedAt: string;
  items: OrderItem[];
}

export interface Page<T> {
  count: number;
  page: number;
  pageSize: number;
  results: T[];
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface OrderListQuery extends PageRequest {
  /** Passed through as the client sent it: validating it is the variant's job. */
  status?: string;
  /** Case-insensitive substring of the customer's email. */
  email?: string;
}

export interface PlaceOrderInput {
  customerId: number;
  status?: 'draft' | 'paid';
  items: { productId: number; quantity: number }[];
}

/**
 * One customer's line of the summary. The rules, as the original code follows them:
 * - the rows are the `limit` newest active customers of the shop (newest by created_at, then by
 *   highest id), and no one else: not an inactive customer, not an older one, whatever they spent;
 * - each of them has a row, zero spenders included (orderCount 0, totalCents 0);
 * - an order counts when it is `paid`, not archived and not deleted (drafts, shipped, cancelled,
 *   archived and deleted orders do not), and one without items counts too, for 0 cents;
 * - totalCents sums the counted orders' item lines, quantity x unitPriceCents (the price paid);
 *   orders.total_cents holds the same sum, written with the items;
 * - rows come biggest totalCents first, equal totals in newest-first order.
 */
export interface SummaryRow {
  customerId: number;
  email: string;
  /** Counted orders. */
  orderCount: number;
  totalCents: number;
}

/**
 * A shop's analytics. The rules, as the original code follows them:
 * - an order counts when it is `paid` or `shipped` and not deleted; archived orders count (they are
 *   history), drafts and cancelled orders do not; one without items counts, for 0 revenue;
 * - revenue is item lines at unitPriceCents, the price paid, never the product's price today (the
 *   original code gets this wrong: that is an incident);
 * - topItems: at most 5 products, most units first, ties to the lower product id; name is the
 *   product's name today;
 * - ordersByDay: one entry per UTC day (YYYY-MM-DD of created_at) with a counted order, oldest first.
 */
export interface Analytics {
  totalOrders: number;
  totalRevenue: number;
  topItems: { productId: number; sku: string; name: string; quantity: number; revenue: number }[];
  ordersByDay: { date: string; count: number; revenue: number }[];
}

export interface SeedRequest {
  customers: number;
  ordersPerCustomer: number;
  itemsPerOrder: number;
  /** Same seed, same data. Absent: a random seed. */
  seed?: number;
}

export interface SeedResult {
  customers: number;
  orders: number;
  items: number;
  products: number;
}

export interface NewCustomer {
  name: string;
  email: string;
  isActive?: boolean;
}

export interface NewProduct {
  sku: string;
  name: string;
  priceCents: number;
  stock?: number | null;
  available?: boolean;
}

export type ProductChanges = Partial<Pick<Product, 'name' | 'priceCents' | 'stock' | 'available'>>;

export interface TenantRepository {
  create(input: { id: TenantId; name: string }): Promise<Tenant>;
  get(id: TenantId): Promise<Tenant | null>;
}

export interface CustomerRepository {
  list(tenant: TenantId, page: PageRequest): Promise<Page<Customer>>;
  get(tenant: TenantId, id: number): Promise<Customer | null>;
  create(tenant: TenantId, input: NewCustomer): Promise<Customer>;
  /** The customer's orders with their items, archived and soft-deleted ones hidden; null if no such customer. */
  ordersOf(tenant: TenantId, customerId: number): Promise<Order[] | null>;
}

export interface ProductRepository {
  list(tenant: TenantId, page: PageRequest): Promise<Page<Product>>;
  get(tenant: TenantId, id: number): Promise<Product | null>;
  create(tenant: TenantId, input: NewProduct): Promise<Product>;
  /** A price change never touches orders already placed: they keep the price paid. */
  update(tenant: TenantId, id: number, changes: ProductChanges): Promise<Product | null>;
}

export interface OrderRepository {
  /** Hides archived and soft-deleted orders. */
  list(tenant: TenantId, query: OrderListQuery): Promise<Page<Order>>;
  /** Archived and soft-deleted orders are still retrievable by id. */
  get(tenant: TenantId, id: number): Promise<Order | null>;
  /**
   * Archiving a cancelled order may answer the order (200) or refuse with a ConflictError (409);
   * archiving a deleted one may act on it or refuse (null: 404, or 409): it stays deleted.
   */
  archive(tenant: TenantId, id: number): Promise<Order | null>;
  /**
   * true when the order existed (204), false for 404. Deleting it again may answer either, and must
   * leave it readable by id with its items and the deletedAt of the first delete.
   */
  softDelete(tenant: TenantId, id: number): Promise<boolean>;
  /** Top customers by money spent on paid orders neither archived nor deleted: see SummaryRow for the rules. */
  summary(tenant: TenantId, limit: number): Promise<SummaryRow[]>;
}

/** The flows the lab's bugs live in. */
export interface OrderFlows {
  /** Checks and decrements stock, records the order, sends the confirmation. */
  place(tenant: TenantId, input: PlaceOrderInput): Promise<Order>;
  /**
   * Changes the order's status and nothing else: the units stay taken from stock (its items are
   * the record of what was sold). Cancelling it again, or cancelling a shipped order, may answer
   * the order (200) or refuse with a ConflictError (409); cancelling a deleted order may act on it
   * or refuse (null: 404, or 409): it stays deleted.
   */
  cancel(tenant: TenantId, id: number): Promise<Order | null>;
}

export interface AnalyticsService {
  compute(tenant: TenantId): Promise<Analytics>;
}

export interface DevTools {
  /** The updated_at of a seeded order is the variant's to choose (its creation time, or now): nothing reads it. */
  seed(tenant: TenantId, request: SeedRequest): Promise<SeedResult>;
}

export interface HealthCheck {
  /** One trivial query: the floor that load scenarios compare against. */
  ping(): Promise<void>;
}

export interface Repositories {
  tenants: TenantRepository;
  customers: CustomerRepository;
  products: ProductRepository;
  orders: OrderRepository;
  orderFlows: OrderFlows;
  analytics: AnalyticsService;
  dev: DevTools;
  health: HealthCheck;
}

/** A variant module's default export: builds every repository from one knex instance. */
export type Variant = (knex: Knex) => Repositories;

/**
 * Errors a variant throws for the client's mistakes. The HTTP layer maps them by `statusCode`
 * (not by class), so a variant folder with its own copy of this file still maps correctly.
 */
export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string) {
    super(400, message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, message);
  }
}

export class OutOfStockError extends ConflictError {}
