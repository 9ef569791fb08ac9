// The soak benchmark's pure parts: the checks catch what they are for, the mix sends what it
// promises, and the options refuse what they should. No traffic: `npm run bench:soak` does that.
import { expect } from 'chai';
import { checkStockConservation, soakChecks, type Conservation } from '../../harness/bench/soak-checks';
import { placeBodies, stockTiers } from '../../harness/bench/soak-plan';
import { parseSoakOptions, SOAK_DEFAULTS } from '../../harness/bench/soak';
import { createDrawer, type MixResult, type MixShape } from '../../harness/load-mix';
import { readEnvironment, UsageError } from '../../harness/settings';
import { ORDER_LIMITS } from '../../variants/contract';

const products = [
  { id: 1, sku: 'SKU-1', stock: 10 },
  { id: 2, sku: 'SKU-2', stock: 5 },
  { id: 3, sku: 'SKU-3', stock: null },
];

describe('soak: stock conservation', () => {
  it('passes when every unit that left the stock is in an order', () => {
    const result = checkStockConservation(products, [{ ...products[0]!, stock: 3 }, { ...products[1]!, stock: 0 }, products[2]!], [
      { productId: 1, quantity: 4 },
      { productId: 1, quantity: 3 },
      { productId: 2, quantity: 5 },
      { productId: 3, quantity: 9 },
    ]);
    expect(result.problems).to.deep.equal([]);
    expect(result.ok).to.equal(true);
    expect(result.limited.map((l) => l.sold)).to.deep.equal([7, 5]);
  });

  it('catches units gone without an order and stock below zero', () => {
    const result = checkStockConservation(products, [{ ...products[0]!, stock: 3 }, { ...products[1]!, stock: -1 }, products[2]!], [
      { productId: 1, quantity: 4 },
      { productId: 2, quantity: 6 },
    ]);
    expect(result.ok).to.equal(false);
    expect(result.problems).to.have.length(2);
    expect(result.problems[0]).to.include('SKU-1').and.include('3 units gone without an order');
    expect(result.problems[1]).to.include('below zero');
  });

  it('catches an oversell that the stock column hides (it stopped at 0)', () => {
    const result = checkStockConservation([products[1]!], [{ ...products[1]!, stock: 0 }], [{ productId: 2, quantity: 7 }]);
    expect(result.problems).to.deep.equal(['SKU-2: 5 at the start, 7 sold, 0 at the end: 2 units sold that were not in stock']);
  });

  it('catches an unlimited product that got a stock', () => {
    expect(checkStockConservation([products[2]!], [{ ...products[2]!, stock: 4 }], []).ok).to.equal(false);
  });
});

describe('soak: checks', () => {
  const run = (statusCodes: Record<string, number>, byShape: MixResult['byShape']): MixResult => ({
    requests: 0,
    rps: 0,
    seconds: 1,
    latency: { p50: 1, p90: 1, p99: 1, max: 1 },
    errors: 0,
    timeouts: 0,
    statusCodes,
    byShape,
  });
  const conserved: Conservation = { ok: true, limited: [], unlimited: [], problems: [] };
  const failing = (runs: MixResult[], extra: Partial<Parameters<typeof soakChecks>[0]> = {}) =>
    soakChecks({ runs, conservation: conserved, ordersInDatabase: 2, placedAnswers: 2, inFlightAllowance: 0, ...extra })
      .filter((c) => !c.ok)
      .map((c) => c.name);

  it('passes 2xx and the out-of-stock 409', () => {
    expect(failing([run({ 200: 5, 201: 2, 409: 3 }, { 'orders: place': { 201: 2, 409: 3 } })])).to.deep.equal([]);
  });

  it('fails a 5xx in the warm-up, a 4xx other than 409, a dead service and an order nobody was told of', () => {
    const warmUp = run({ 500: 1 }, { analytics: { 500: 1 } });
    const soak = run({ 201: 2, 400: 1 }, { 'orders: place': { 201: 2, 400: 1 } });
    expect(failing([warmUp, soak], { serviceExit: 'exited (SIGKILL)', ordersInDatabase: 3 })).to.deep.equal([
      'no 5xx',
      'every 4xx is a 409 (out of stock)',
      'the service process lived through it',
      'every order in the database was answered 201',
    ]);
  });
});

describe('soak: the mix', () => {
  const shapes: MixShape[] = [
    { name: 'read', weight: 1, method: 'GET', paths: ['/a', '/b'] },
    { name: 'place', weight: 1, method: 'POST', paths: ['/orders'], bodies: [{ n: 1 }], fillsPool: 'placed' },
    { name: 'delete', weight: 8, method: 'DELETE', paths: ['/orders/:id'], fromPool: 'placed', consumesId: true },
  ];

  it('draws a shape that needs a pool only once the pool has an id, and a delete uses each id once', () => {
    const drawer = createDrawer(shapes, 1);
    const before = Array.from({ length: 50 }, () => drawer.draw());
    expect(before.some((d) => d.shape.name === 'delete')).to.equal(false);
    drawer.answered(shapes[1]!, 201, JSON.stringify({ id: 42 }));
    drawer.answered(shapes[1]!, 409, JSON.stringify({ statusCode: 409 }));
    const after = Array.from({ length: 50 }, () => drawer.draw());
    expect(after.filter((d) => d.shape.name === 'delete').map((d) => d.path)).to.deep.equal(['/orders/42']);
    expect(after.find((d) => d.shape.name === 'place')?.body).to.equal('{"n":1}');
  });

  it('sends order bodies the route accepts: distinct products, 1 to 3 lines and units', () => {
    for (const body of placeBodies([7, 8], [1, 2, 3, 4, 5], 3, 100)) {
      const ids = body.items.map((i) => i.productId);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(ids.length).to.be.within(1, Math.min(3, ORDER_LIMITS.maxLines));
      for (const item of body.items) expect(item.quantity).to.be.within(1, 3);
      expect([7, 8]).to.include(body.customerId);
    }
  });

  it('splits the products into four stock tiers, the last unlimited', () => {
    const tiers = stockTiers([1, 2, 3, 4, 5, 6, 7, 8], 200, 60);
    expect(tiers.map((t) => t.tier)).to.deep.equal(['scarce', 'scarce', 'limited', 'limited', 'ample', 'ample', 'unlimited', 'unlimited']);
    expect(tiers.at(-1)!.stock).to.equal(null);
  });
});

describe('soak: options', () => {
  it('defaults to the fixed variant, the default engine, a minute at a bounded rate', () => {
    const options = parseSoakOptions([], readEnvironment({}));
    expect(options).to.include({ variant: 'fixed', backend: SOAK_DEFAULTS.db, seconds: 60, rate: 200, command: 'npm run bench:soak' });
  });

  it('refuses a bad option with a sentence naming it', () => {
    expect(() => parseSoakOptions(['--rate', '0'], readEnvironment({}))).to.throw(UsageError, '--rate');
    expect(() => parseSoakOptions(['--db', 'sqlite'], readEnvironment({}))).to.throw(UsageError, '--db');
    expect(() => parseSoakOptions(['--variant', 'no-such-variant'], readEnvironment({}))).to.throw(UsageError, '--variant');
    expect(() => parseSoakOptions(['--bogus'], readEnvironment({}))).to.throw(UsageError);
  });
});
