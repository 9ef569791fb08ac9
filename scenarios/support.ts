// The few client actions most scenarios start with, done over HTTP like any client would.
import type { HttpResponse, RaceTrial, ScenarioContext } from '../harness/scenario';

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

/**
 * Fires `buyers` one-unit orders of a product at the same moment (`send(i)` places the i-th), then
 * accounts for every unit from the database: requests that got no answer count as maybe sold.
 */
export async function raceForStock(
  ctx: ScenarioContext,
  tenant: string,
  product: { id: number },
  stock: number,
  buyers: number,
  send: (i: number) => Promise<HttpResponse>,
): Promise<RaceTrial> {
  const answers = await Promise.allSettled(Array.from({ length: buyers }, (_, i) => send(i)));
  const statuses = answers.map((a) => (a.status === 'fulfilled' ? a.value.status : 0));
  const finalStock = (await ctx.http.get(`/api/products/${product.id}`, { tenant, quiet: true })).body.stock as number;
  const rows = await ctx.snapshot(tenant);
  const unitsSold = rows.items.filter((item) => item.product_id === product.id).reduce((sum, item) => sum + item.quantity, 0);
  return {
    initialStock: stock,
    requests: buyers,
    accepted: statuses.filter((s) => s === 201).length,
    rejected: statuses.filter((s) => s >= 400 && s < 500).length,
    unknown: statuses.filter((s) => s === 0 || s >= 500).length,
    unitsSold,
    finalStock,
    oversold: Math.max(0, unitsSold - stock),
    conserved: finalStock >= 0 && stock === finalStock + unitsSold,
  };
}

/** The trial that went worst: the most units oversold, or stock that does not add up. */
export const worstTrial = (trials: RaceTrial[]) => trials.reduce((a, b) => (b.oversold > a.oversold || !b.conserved ? b : a));
