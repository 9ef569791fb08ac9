// Type-level tests: compiled by `npm run typecheck` (tsc includes test/), never run by mocha (its
// spec is *.test.ts; the -d suffix is tsd's convention for files that only type-check). Each
// `const … : Assert<Equal<…>> = true` fails to compile when the two types differ in any way,
// optional and readonly modifiers included.
//
// Why: the routes' request and reply types come from their JSON schemas (service/schemas/types.ts),
// but the repositories take the domain types of variants/contract.ts, written by hand. A handler
// passing req.body to a repository only proves the body is assignable to the domain type; these
// prove the two are the same, so a field added, dropped, made optional or retyped on one side and
// not the other is a type error here, not a surprise in a variant.
import type {
  Analytics, Customer, NewCustomer, NewProduct, Order, OrderListQuery, Page, PageRequest, PlaceOrderInput, Product,
  ProductChanges, SeedRequest, SeedResult, SummaryRow, Tenant, TenantRepository,
} from '../../variants/contract';
import * as analytics from '../../service/schemas/analytics';
import * as customers from '../../service/schemas/customers';
import * as dev from '../../service/schemas/dev';
import * as orders from '../../service/schemas/orders';
import * as products from '../../service/schemas/products';
import * as tenants from '../../service/schemas/tenants';
import type { ReplyOf, RequestOf } from '../../service/schemas/types';

/**
 * True only when A and B are the same type (optional and readonly modifiers included): the
 * usual strict type equality (two generic functions compared), in plain TypeScript.
 */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when given `true`: `const check: Assert<Equal<A, B>> = true`. */
export type Assert<Condition extends true> = Condition;

// The helpers themselves: Equal tells apart what a loose check would let through.
export const equalSame: Assert<Equal<{ a: number }, { a: number }>> = true;
export const equalOptional: Assert<Equal<{ a?: number }, { a: number }> extends false ? true : false> = true;
export const equalReadonly: Assert<Equal<{ readonly a: number }, { a: number }> extends false ? true : false> = true;
export const equalWider: Assert<Equal<{ a: number; b?: string }, { a: number }> extends false ? true : false> = true;
export const equalAny: Assert<Equal<any, { a: number }> extends false ? true : false> = true;

// Bodies that the service hands to a repository as they are.
export const createCustomerBody: Assert<Equal<RequestOf<typeof customers.createCustomer.body>, NewCustomer>> = true;
export const createProductBody: Assert<Equal<RequestOf<typeof products.createProduct.body>, NewProduct>> = true;
export const updateProductBody: Assert<Equal<RequestOf<typeof products.updateProduct.body>, ProductChanges>> = true;
export const placeOrderBody: Assert<Equal<RequestOf<typeof orders.placeOrder.body>, PlaceOrderInput>> = true;
export const createTenantBody: Assert<Equal<RequestOf<typeof tenants.createTenant.body>, Parameters<TenantRepository['create']>[0]>> = true;
// Every field of a seed request has a default except the seed, so validation fills them in.
export const seedBody: Assert<Equal<RequestOf<typeof dev.seed.body>, SeedRequest>> = true;

// Query strings: defaulted parameters are always there once validated.
export const pageQuery: Assert<Equal<RequestOf<typeof customers.listCustomers.querystring>, PageRequest>> = true;
export const productPageQuery: Assert<Equal<RequestOf<typeof products.listProducts.querystring>, PageRequest>> = true;
export const orderListQuery: Assert<Equal<RequestOf<typeof orders.listOrders.querystring>, OrderListQuery>> = true;
export const summaryQuery: Assert<Equal<RequestOf<typeof orders.summary.querystring>, { limit: number }>> = true;

// Path parameters: ids are numbers (coerced from decimal digits only), a shop's id is text.
export const idParams: Assert<Equal<RequestOf<typeof orders.orderById.params>, { id: number }>> = true;
export const customerIdParams: Assert<Equal<RequestOf<typeof customers.getCustomer.params>, { id: number }>> = true;
export const productIdParams: Assert<Equal<RequestOf<typeof products.updateProduct.params>, { id: number }>> = true;
// Its schema has no `additionalProperties: false`, so json-schema-to-ts reads it as an open object.
export const tenantParams: Assert<Equal<RequestOf<typeof tenants.getTenant.params>, { [key: string]: unknown; id: string }>> = true;

// Replies: what the serializer writes (declared properties only) is what the domain type holds.
export const customerReply: Assert<Equal<ReplyOf<typeof customers.getCustomer.response[200]>, Customer>> = true;
export const productReply: Assert<Equal<ReplyOf<typeof products.getProduct.response[200]>, Product>> = true;
export const tenantReply: Assert<Equal<ReplyOf<typeof tenants.getTenant.response[200]>, Tenant>> = true;
export const seedReply: Assert<Equal<ReplyOf<typeof dev.seed.response[201]>, SeedResult>> = true;
export const analyticsReply: Assert<Equal<ReplyOf<typeof analytics.analytics.response[200]>, Analytics>> = true;
export const summaryReply: Assert<Equal<ReplyOf<typeof orders.summary.response[200]>, { limit: number; rows: SummaryRow[] }>> = true;
export const customerPageReply: Assert<Equal<ReplyOf<typeof customers.listCustomers.response[200]>, Page<Customer>>> = true;
// The order's status is documented as any string (the schema has no enum for it), which every
// OrderStatus is: the reply is the domain's Order with that one field widened.
export const orderReply: Assert<Equal<ReplyOf<typeof orders.orderById.response[200]>, { [K in keyof Order]: K extends 'status' ? string : Order[K] }>> = true;
// A 204 has no body: the handler calls reply.send() with nothing.
export const deleteReply: Assert<Equal<ReplyOf<typeof orders.deleteOrder.response[204]>, undefined>> = true;
