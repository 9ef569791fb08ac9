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

/** One race for the last units: what the database shows, and every buyer's answer. */
export interface Race {
  trial: RaceTrial;
  /** HTTP status per buyer; 0 for no answer. */
  statuses: number[];
}

/**
 * Fires `buyers` one-unit orders of a product at the same moment (`send(i)` places the i-th), then
 * accounts for every unit from the database: requests that got no answer count as maybe sold.
 * `processOf(i)`: which of `processes` service processes `send(i)` used, when they were several.
 */
export async function raceForStock(
  ctx: ScenarioContext,
  tenant: string,
  product: { id: number },
  stock: number,
  buyers: number,
  send: (i: number) => Promise<HttpResponse>,
  split?: { processes: number; processOf: (i: number) => number },
): Promise<Race> {
  const answers = await Promise.allSettled(Array.from({ length: buyers }, (_, i) => send(i)));
  const statuses = answers.map((a) => (a.status === 'fulfilled' ? a.value.status : 0));
  const finalStock = (await ctx.http.get(`/api/products/${product.id}`, { tenant, quiet: true })).body.stock as number;
  const rows = await ctx.snapshot(tenant);
  const unitsSold = rows.items.filter((item) => item.product_id === product.id).reduce((sum, item) => sum + item.quantity, 0);
  const trial: RaceTrial = {
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
  if (split && split.processes > 1) {
    trial.acceptedByProcess = Array.from({ length: split.processes }, (_, p) => statuses.filter((s, i) => s === 201 && split.processOf(i) === p).length);
  }
  return { trial, statuses };
}

const countsOf = (statuses: number[]) =>
  [...new Set(statuses)].sort((a, b) => a - b).map((status) => `${statuses.filter((s) => s === status).length} × ${status || 'no answer'}`).join(', ');

/** More one-unit orders answered 201 than there were units: visible in the answers alone. */
export const acceptedTooMany = ({ trial }: Race) => trial.accepted > trial.initialStock;

/**
 * Everything a race for one-unit orders must show, whatever the code: every buyer answered 201 or
 * 409 (a 5xx is a buyer left not knowing whether they bought); no unit sold twice; no buyer refused
 * while a unit was left (`min(stock, buyers)` units sell); accepted orders, units sold and stock
 * taken are one number.
 */
export function raceProblems({ trial, statuses }: Race): string[] {
  const problems: string[] = [];
  const sellable = Math.min(trial.initialStock, trial.requests);
  const taken = trial.initialStock - trial.finalStock;
  if (trial.oversold > 0 || trial.finalStock < 0) problems.push(`oversold: ${trial.unitsSold} units sold from a stock of ${trial.initialStock}, stock now ${trial.finalStock}`);
  if (statuses.some((s) => s !== 201 && s !== 409)) problems.push(`buyers should get 201 or 409, got ${countsOf(statuses)}`);
  if (trial.unitsSold < sellable) problems.push(`undersold: ${trial.requests} buyers wanted one each, but only ${trial.unitsSold} of ${trial.initialStock} units sold`);
  if (trial.accepted !== trial.unitsSold || trial.unitsSold !== taken) {
    problems.push(`${trial.accepted} orders accepted, ${trial.unitsSold} units in orders, ${taken} units taken from stock (${trial.initialStock} → ${trial.finalStock}): they must be one number`);
  }
  return problems;
}

const eachTime = (values: number[]) => [...new Set(values)].join(' or ');

/** The measured numbers of races that went right, in one sentence. */
export function raceSummary(races: Race[]): string {
  const trials = races.map((r) => r.trial);
  const errors = races.reduce((sum, r) => sum + r.statuses.filter((s) => s === 0 || s >= 500).length, 0);
  return (
    `in ${races.length} trial${races.length === 1 ? '' : 's'}: ${eachTime(trials.map((t) => t.accepted))} of ${eachTime(trials.map((t) => t.requests))} accepted each time, ` +
    `${eachTime(races.map((r) => r.statuses.filter((s) => s === 409).length))} refused with 409, ` +
    `stock ${eachTime(trials.map((t) => t.initialStock))} → ${eachTime(trials.map((t) => t.finalStock))}, ${errors} errors`
  );
}

/** The first race that broke an invariant, with what it broke; undefined when none did. */
export function firstBadRace(races: Race[]): { race: Race; index: number; problems: string[] } | undefined {
  for (const [index, race] of races.entries()) {
    const problems = raceProblems(race);
    if (problems.length) return { race, index, problems };
  }
  return undefined;
}
