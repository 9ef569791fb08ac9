// The few client actions most scenarios start with, done over HTTP like any client would.
import type { ScenarioContext } from '../harness/scenario';

export interface Created {
  id: number;
  [field: string]: any;
}

async function created(ctx: ScenarioContext, path: string, tenant: string, body: unknown): Promise<Created> {
  const response = await ctx.http.post(path, { tenant, body });
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export const createCustomer = (ctx: ScenarioContext, tenant: string, email: string) =>
  created(ctx, '/api/customers', tenant, { name: email.split('@')[0], email });

export const createProduct = (ctx: ScenarioContext, tenant: string, sku: string, priceCents: number, stock: number | null = null) =>
  created(ctx, '/api/products', tenant, { sku, name: `Product ${sku}`, priceCents, stock });

export const placeOrder = (ctx: ScenarioContext, tenant: string, customerId: number, items: { productId: number; quantity: number }[]) =>
  created(ctx, '/api/orders', tenant, { customerId, items });

/** Throws unless the response has the status the scenario needs to go on. */
export function expectStatus(response: { status: number; body: unknown }, status: number, what: string): void {
  if (response.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${response.status} ${JSON.stringify(response.body)}`);
}
