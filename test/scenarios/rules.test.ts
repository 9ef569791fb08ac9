// Each rule the candidate's README states about the summary and analytics (scenarios/rules.ts),
// checked on tiny hand-made data three ways: the oracle the scenarios judge by gives the answer
// the rule says, the original code gives the oracle's answer (it is the specification, except
// where an incident says otherwise), and so does the reference.
import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Database } from '../../harness/db/backends';
import { differences, expectedAnalytics, expectedSummary, type Known } from '../../scenarios/oracles';
import { ANALYTICS_RULES, SUMMARY_RULES } from '../../scenarios/rules';
import type { Analytics, OrderStatus, SummaryRow } from '../../variants/contract';
import { loadVariant } from '../../variants/load';
import { forEachBackend, openBackend, VARIANTS, type VariantName } from '../helpers/matrix';

interface Plan {
  /** Oldest first unless `at` says otherwise. */
  customers: { key: string; active?: boolean; at?: string }[];
  products: { key: string; priceCents: number; name?: string }[];
  orders: { customer: string; status?: OrderStatus; archived?: boolean; deleted?: boolean; at?: string; lines: [product: string, quantity: number, unitPriceCents?: number][] }[];
}

let shops = 0;
const hoursAgo = (hours: number) => new Date(Date.UTC(2026, 0, 10, 12) - hours * 3_600_000).toISOString();

/** Writes the plan straight into the tables, as rows any tool could have written; returns what the oracles need. */
async function load(knex: Knex, plan: Plan): Promise<{ known: Known; ids: Record<string, number> }> {
  const tenant = `rules-${process.pid}-${++shops}`;
  await knex('tenants').insert({ id: tenant, name: tenant });
  const ids: Record<string, number> = {};
  const known: Known = { tenant, customers: [], products: [], orders: [] };
  for (const [i, c] of plan.customers.entries()) {
    const at = c.at ?? hoursAgo(100 - i);
    const [row] = await knex('customers').insert({ tenant_id: tenant, name: c.key, email: `${c.key}@rules.example`, is_active: c.active ?? true, created_at: at }).returning('id');
    ids[c.key] = Number(row.id);
    known.customers.push({ id: ids[c.key]!, name: c.key, email: `${c.key}@rules.example`, isActive: c.active ?? true, createdAt: at });
  }
  for (const p of plan.products) {
    const [row] = await knex('products').insert({ tenant_id: tenant, sku: p.key, name: p.name ?? p.key, price_cents: p.priceCents }).returning('id');
    ids[p.key] = Number(row.id);
    known.products.push({ id: ids[p.key]!, sku: p.key, name: p.name ?? p.key, priceCents: p.priceCents, stock: null, available: true });
  }
  for (const [i, o] of plan.orders.entries()) {
    const at = o.at ?? hoursAgo(50 - i);
    const items = o.lines.map(([product, quantity, unit]) => ({ productId: ids[product]!, sku: product, quantity, unitPriceCents: unit ?? plan.products.find((p) => p.key === product)!.priceCents }));
    const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
    const status = o.status ?? 'paid';
    const deletedAt = o.deleted ? hoursAgo(1) : null;
    const [row] = await knex('orders')
      .insert({ tenant_id: tenant, customer_id: ids[o.customer], status, total_cents: totalCents, is_archived: o.archived ?? false, deleted_at: deletedAt, created_at: at, updated_at: at })
      .returning('id');
    const id = Number(row.id);
    if (items.length) await knex('order_items').insert(items.map((item) => ({ order_id: id, product_id: item.productId, sku: item.sku, quantity: item.quantity, unit_price_cents: item.unitPriceCents })));
    known.orders.push({ id, customerId: ids[o.customer]!, status, totalCents, isArchived: o.archived ?? false, createdAt: at, items, deletedAt });
  }
  return { known, ids };
}

interface SummaryCase {
  plan: Plan;
  limit: number;
  /** What the rule says, on the oracle's rows, by customer key. */
  expect: (rows: { key: string; orderCount: number; totalCents: number }[]) => void;
}

interface AnalyticsCase {
  plan: Plan;
  expect: (analytics: ReturnType<typeof expectedAnalytics>, ids: Record<string, number>) => void;
  /** After loading: changes the original code is not judged on (an incident), or the rule is about. */
  after?: (knex: Knex, ids: Record<string, number>) => Promise<void>;
  /** The incident whose bug makes the original code break this rule. */
  incident?: string;
  /** Checks on the code's answer beyond the oracle's fields. */
  expectAnswer?: (answer: Analytics, ids: Record<string, number>) => void;
}

/** By rule id; the first test holds these keys to the rules the README states. */
const SUMMARY_CASES: Record<string, SummaryCase> = {
  'newest-active': {
    plan: {
      customers: [{ key: 'oldest' }, { key: 'inactive', active: false }, { key: 'middle' }, { key: 'newest' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'oldest', lines: [['P', 50]] },
        { customer: 'inactive', lines: [['P', 40]] },
        { customer: 'middle', lines: [['P', 1]] },
        { customer: 'newest', lines: [['P', 2]] },
      ],
    },
    limit: 2,
    expect: (rows) => expect(rows.map((r) => r.key)).to.deep.equal(['newest', 'middle']),
  },
  'zero-spend-kept': {
    plan: {
      customers: [{ key: 'nothing' }, { key: 'draft-only' }, { key: 'spender' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'draft-only', status: 'draft', lines: [['P', 3]] },
        { customer: 'spender', lines: [['P', 1]] },
      ],
    },
    limit: 10,
    expect: (rows) =>
      expect(rows).to.deep.equal([
        { key: 'spender', orderCount: 1, totalCents: 100 },
        { key: 'draft-only', orderCount: 0, totalCents: 0 },
        { key: 'nothing', orderCount: 0, totalCents: 0 },
      ]),
  },
  'paid-only': {
    plan: {
      customers: [{ key: 'c' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'c', status: 'paid', lines: [['P', 1]] },
        { customer: 'c', status: 'draft', lines: [['P', 2]] },
        { customer: 'c', status: 'shipped', lines: [['P', 4]] },
        { customer: 'c', status: 'cancelled', lines: [['P', 8]] },
        { customer: 'c', status: 'paid', archived: true, lines: [['P', 16]] },
        { customer: 'c', status: 'paid', deleted: true, lines: [['P', 32]] },
      ],
    },
    limit: 10,
    expect: (rows) => expect(rows).to.deep.equal([{ key: 'c', orderCount: 1, totalCents: 100 }]),
  },
  'no-items': {
    plan: {
      customers: [{ key: 'empty' }, { key: 'full' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'empty', lines: [] },
        { customer: 'full', lines: [['P', 1]] },
        { customer: 'full', lines: [] },
      ],
    },
    limit: 10,
    expect: (rows) =>
      expect(rows).to.deep.equal([
        { key: 'full', orderCount: 2, totalCents: 100 },
        { key: 'empty', orderCount: 1, totalCents: 0 },
      ]),
  },
  'money-from-lines': {
    plan: {
      // The product costs 999 today; the customer paid 250 and 300 a unit.
      customers: [{ key: 'c' }],
      products: [{ key: 'P', priceCents: 999 }],
      orders: [{ customer: 'c', lines: [['P', 2, 250], ['P', 1, 300]] }],
    },
    limit: 10,
    expect: (rows) => expect(rows).to.deep.equal([{ key: 'c', orderCount: 1, totalCents: 800 }]),
  },
  'ties-newest-first': {
    plan: {
      // twin-a and twin-b were created at the same instant: the higher id is the newer.
      customers: [{ key: 'old' }, { key: 'twin-a', at: hoursAgo(98.5) }, { key: 'twin-b', at: hoursAgo(98.5) }, { key: 'new' }, { key: 'big' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'old', lines: [['P', 3]] },
        { customer: 'twin-a', lines: [['P', 3]] },
        { customer: 'twin-b', lines: [['P', 3]] },
        { customer: 'new', lines: [['P', 3]] },
        { customer: 'big', lines: [['P', 9]] },
      ],
    },
    limit: 10,
    expect: (rows) => expect(rows.map((r) => r.key)).to.deep.equal(['big', 'new', 'twin-b', 'twin-a', 'old']),
  },
};

const ANALYTICS_CASES: Record<string, AnalyticsCase> = {
  'counted-orders': {
    plan: {
      customers: [{ key: 'c' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'c', status: 'paid', lines: [['P', 1]] },
        { customer: 'c', status: 'shipped', lines: [['P', 2]] },
        { customer: 'c', status: 'paid', archived: true, lines: [['P', 4]] },
        { customer: 'c', status: 'draft', lines: [['P', 8]] },
        { customer: 'c', status: 'cancelled', lines: [['P', 16]] },
        { customer: 'c', status: 'paid', deleted: true, lines: [['P', 32]] },
      ],
    },
    expect: (a) => expect({ totalOrders: a.totalOrders, totalRevenue: a.totalRevenue }).to.deep.equal({ totalOrders: 3, totalRevenue: 700 }),
  },
  'revenue-paid': {
    plan: {
      customers: [{ key: 'c' }],
      products: [{ key: 'P', priceCents: 300 }],
      orders: [{ customer: 'c', lines: [['P', 2]] }],
    },
    after: async (knex, ids) => void (await knex('products').where({ id: ids.P }).update({ price_cents: 500 })),
    incident: 'analytics-load',
    expect: (a, ids) => {
      expect(a.totalRevenue).to.equal(600);
      expect(a.topItems).to.deep.equal([{ productId: ids.P, quantity: 2, revenue: 600 }]);
    },
  },
  'no-items': {
    plan: {
      customers: [{ key: 'c' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'c', at: '2026-01-03T10:00:00.000Z', lines: [] },
        { customer: 'c', at: '2026-01-04T10:00:00.000Z', lines: [['P', 1]] },
      ],
    },
    expect: (a) => {
      expect(a.totalOrders).to.equal(2);
      expect(a.ordersByDay).to.deep.equal([
        { date: '2026-01-03', count: 1, revenue: 0 },
        { date: '2026-01-04', count: 1, revenue: 100 },
      ]);
    },
  },
  'top-items': {
    plan: {
      customers: [{ key: 'c' }],
      products: ['A', 'B', 'C', 'D', 'E', 'F'].map((key) => ({ key, priceCents: 10, name: `old name ${key}` })),
      // F sells most; B and C tie, as do D, E and A at one unit (A, with the lowest id, makes the cut).
      orders: [{ customer: 'c', lines: [['F', 5], ['C', 3], ['B', 3], ['E', 1], ['D', 1], ['A', 1]] }, { customer: 'c', lines: [['D', 1]] }],
    },
    after: async (knex, ids) => void (await knex('products').where({ id: ids.B }).update({ name: 'new name B' })),
    expect: (a, ids) =>
      expect(a.topItems.map((i) => [i.productId, i.quantity])).to.deep.equal([
        [ids.F, 5],
        [ids.B, 3],
        [ids.C, 3],
        [ids.D, 2],
        [ids.A, 1],
      ]),
    expectAnswer: (answer, ids) => expect(answer.topItems.find((i) => i.productId === ids.B)?.name).to.equal('new name B'),
  },
  'orders-by-day': {
    plan: {
      customers: [{ key: 'c' }],
      products: [{ key: 'P', priceCents: 100 }],
      orders: [
        { customer: 'c', at: '2026-01-05T00:10:00.000Z', lines: [['P', 1]] },
        { customer: 'c', at: '2026-01-04T23:50:00.000Z', lines: [['P', 2]] },
        { customer: 'c', at: '2026-01-02T12:00:00.000Z', lines: [['P', 3]] },
        { customer: 'c', at: '2026-01-05T23:59:00.000Z', lines: [['P', 4]] },
      ],
    },
    expect: (a) =>
      expect(a.ordersByDay).to.deep.equal([
        { date: '2026-01-02', count: 1, revenue: 300 },
        { date: '2026-01-04', count: 1, revenue: 200 },
        { date: '2026-01-05', count: 2, revenue: 500 },
      ]),
  },
};

const analyticsFields = (a: Analytics | ReturnType<typeof expectedAnalytics>) => ({
  totalOrders: a.totalOrders,
  totalRevenue: a.totalRevenue,
  topItems: a.topItems.map((i) => ({ productId: i.productId, quantity: i.quantity, revenue: i.revenue })),
  ordersByDay: a.ordersByDay,
});

describe('the stated rules of the summary and analytics', () => {
  it('has a check for every rule the README states, and no check for a rule it does not', () => {
    expect(Object.keys(SUMMARY_CASES).sort()).to.deep.equal(SUMMARY_RULES.map((r) => r.id).sort());
    expect(Object.keys(ANALYTICS_CASES).sort()).to.deep.equal(ANALYTICS_RULES.map((r) => r.id).sort());
  });

  forEachBackend((backend) => {
    let db: Database;
    before(async function () {
      this.timeout(60_000);
      db = await openBackend(backend);
    });
    after(async () => db?.close());

    const repositories = (variant: VariantName) => loadVariant(variant)(db.knex);

    for (const rule of SUMMARY_RULES) {
      const c = SUMMARY_CASES[rule.id]!;
      it(`summary, ${rule.id}: the oracle says what the rule says, and the original code and the reference agree`, async () => {
        const { known, ids } = await load(db.knex, c.plan);
        const key = (id: number) => Object.keys(ids).find((k) => ids[k] === id)!;
        const oracle = expectedSummary(known, c.limit);
        c.expect(oracle.map((row) => ({ key: key(row.customerId), orderCount: row.orderCount, totalCents: row.totalCents })));
        for (const variant of VARIANTS) {
          const answer: SummaryRow[] = await repositories(variant).orders.summary(known.tenant, c.limit);
          expect(differences(oracle, answer), variant).to.deep.equal([]);
        }
      });
    }

    for (const rule of ANALYTICS_RULES) {
      const c = ANALYTICS_CASES[rule.id]!;
      it(`analytics, ${rule.id}: the oracle says what the rule says, the reference agrees, and so does the original code${c.incident ? ` but for its incident (${c.incident})` : ''}`, async () => {
        const { known, ids } = await load(db.knex, c.plan);
        await c.after?.(db.knex, ids);
        const oracle = expectedAnalytics(known);
        c.expect(oracle, ids);
        for (const variant of VARIANTS) {
          const answer = await repositories(variant).analytics.compute(known.tenant);
          const wrong = differences(analyticsFields(oracle), analyticsFields(answer));
          if (variant === 'broken' && c.incident) expect(wrong, `the original code should show ${c.incident} here`).not.to.deep.equal([]);
          else {
            expect(wrong, variant).to.deep.equal([]);
            c.expectAnswer?.(answer, ids);
          }
        }
      });
    }

    it('summary, money-from-lines: every order the service writes, placed or seeded, carries the sum of its lines in total_cents', async function () {
      this.timeout(60_000);
      for (const variant of VARIANTS) {
        const { known, ids } = await load(db.knex, { customers: [{ key: 'c' }], products: [{ key: 'P', priceCents: 250 }, { key: 'Q', priceCents: 40 }], orders: [] });
        const repos = repositories(variant);
        await repos.orderFlows.place(known.tenant, { customerId: ids.c!, items: [{ productId: ids.P!, quantity: 3 }, { productId: ids.Q!, quantity: 2 }] });
        await repos.dev.seed(known.tenant, { customers: 3, ordersPerCustomer: 2, itemsPerOrder: 3, seed: 7 });
        // Unawaited confirmations of the original code would otherwise outlive the check.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const { rows } = await db.knex.raw(
          `select o.id, o.total_cents, coalesce(sum(i.quantity * i.unit_price_cents), 0) as lines
           from orders o left join order_items i on i.order_id = o.id where o.tenant_id = ? group by o.id, o.total_cents`,
          [known.tenant],
        );
        expect(rows.length, variant).to.equal(1 + 3 * 2);
        for (const row of rows) expect(Number(row.total_cents), `${variant}, order ${row.id}`).to.equal(Number(row.lines));
      }
    });
  });
});
