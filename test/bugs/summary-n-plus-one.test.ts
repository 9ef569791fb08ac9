// summary-n-plus-one: GET /api/orders/summary runs 1 + customers + paid orders queries on broken.
// The fix must keep the original meaning exactly, so both variants are held to one oracle computed
// here from the data the test created: among the `limit` newest active customers, the sum of
// quantity * unitPriceCents over their paid, non-archived, non-deleted orders (zero spend
// included), biggest first, ties newest-first.
import { expect } from 'chai';
import type { SummaryRow } from '../../variants/contract';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { makeShop, measure, warmUp, type Shop } from '../helpers/factories';

type Fate = 'kept' | 'archived' | 'deleted';
interface PlannedOrder {
  status: 'draft' | 'paid';
  /** [product index, quantity] */
  lines: [number, number][];
  fate?: Fate;
}
interface PlannedCustomer {
  active: boolean;
  orders: PlannedOrder[];
}
/** A step of the plan: create the next customer with its orders, or change a product's price. */
type Step = PlannedCustomer | { reprice: number; priceCents: number };

const PRICES = [1000, 250, 333];

// Customers in creation order (oldest first). Chosen so that the limit cuts off a big spender,
// an inactive customer sits among the newest, totals tie (at 1500 and at 0), a price change
// lands between two orders of the same product, and archived, deleted and draft orders exist.
const PLAN: Step[] = [
  { active: true, orders: [{ status: 'paid', lines: [[0, 10]] }] }, // c0: the biggest spender, too old
  { active: true, orders: [{ status: 'paid', lines: [[1, 1]] }] }, // c1: too old
  { active: false, orders: [{ status: 'paid', lines: [[0, 2]] }] }, // c2: inactive
  { active: true, orders: [{ status: 'paid', lines: [[0, 1], [1, 2]] }, { status: 'draft', lines: [[0, 5]] }] }, // c3: 1500
  { active: true, orders: [{ status: 'paid', lines: [[1, 6]] }] }, // c4: 1500, ties with c3
  { reprice: 1, priceCents: 400 },
  { active: true, orders: [] }, // c5: zero
  {
    active: true,
    orders: [
      { status: 'paid', lines: [[1, 1]] }, // 400 at the new price
      { status: 'paid', lines: [[0, 3]], fate: 'archived' },
      { status: 'paid', lines: [[0, 4]], fate: 'deleted' },
      { status: 'paid', lines: [[2, 2], [2, 1]] }, // the same product twice in one order: 999
    ],
  }, // c6: 400 + 999 = 1399 over two counted orders
  { active: false, orders: [{ status: 'paid', lines: [[0, 30]] }] }, // c7: inactive, newest but one
  { active: true, orders: [{ status: 'draft', lines: [[0, 1]] }] }, // c8: zero, ties with c5
  { active: true, orders: [{ status: 'paid', lines: [[2, 3]] }] }, // c9: 999
  { reprice: 0, priceCents: 1 }, // after everything: must change nothing
];

interface Created {
  id: number;
  email: string;
  active: boolean;
  /** Price paid of each paid, visible order. */
  counted: number[];
}

async function build(shop: Shop, plan: Step[]): Promise<Created[]> {
  const prices = [...PRICES];
  const products: { id: number }[] = [];
  for (const priceCents of prices) products.push(await shop.product({ priceCents }));
  const created: Created[] = [];
  for (const step of plan) {
    if ('reprice' in step) {
      await shop.ok('PATCH', `/api/products/${products[step.reprice]!.id}`, { priceCents: step.priceCents });
      prices[step.reprice] = step.priceCents;
      continue;
    }
    const customer = await shop.customer({ isActive: step.active });
    const counted: number[] = [];
    for (const planned of step.orders) {
      const order = await shop.order(customer.id, planned.lines.map(([p, quantity]) => ({ productId: products[p]!.id, quantity })), planned.status);
      if (planned.fate === 'archived') await shop.ok('POST', `/api/orders/${order.id}/archive`);
      if (planned.fate === 'deleted') await shop.ok('DELETE', `/api/orders/${order.id}`);
      if (planned.status === 'paid' && !planned.fate) {
        counted.push(planned.lines.reduce((sum, [p, quantity]) => sum + quantity * prices[p]!, 0));
      }
    }
    created.push({ id: customer.id, email: customer.email, active: step.active, counted });
  }
  return created;
}

function oracle(created: Created[], limit: number): SummaryRow[] {
  const newestActive = created.filter((c) => c.active).reverse().slice(0, limit);
  const rows = newestActive.map((c) => ({
    customerId: c.id,
    email: c.email,
    orderCount: c.counted.length,
    totalCents: c.counted.reduce((a, b) => a + b, 0),
  }));
  // Array.prototype.sort is stable: equal totals keep the newest-first order.
  return rows.sort((a, b) => b.totalCents - a.totalCents);
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('summary-n-plus-one', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it('ranks the newest active customers by what they paid, exactly as the oracle computes it', async () => {
        const shop = await makeShop(t().app);
        const created = await build(shop, PLAN);
        for (const limit of [5, 1, 3, 50]) {
          const expected = oracle(created, limit);
          // The data really exercises ties, zero spend and the limit cut-off.
          if (limit === 5) {
            const totals = expected.map((r) => r.totalCents);
            expect(new Set(totals).size).to.be.lessThan(totals.length);
            expect(totals).to.include(0);
          }
          const body = await shop.ok('GET', `/api/orders/summary?limit=${limit}`);
          expect(body.limit).to.equal(limit);
          expect(body.rows, `limit=${limit}`).to.deep.equal(expected);
        }
        const byDefault = await shop.ok('GET', '/api/orders/summary');
        expect(byDefault.limit).to.equal(50);
        expect(byDefault.rows).to.deep.equal(oracle(created, 50));
      });

      it('gives an empty summary for a shop without customers', async () => {
        const shop = await makeShop(t().app);
        expect(await shop.ok('GET', '/api/orders/summary?limit=5')).to.deep.equal({ limit: 5, rows: [] });
      });

      it(
        expectBug
          ? 'costs one more query per paid order: the count grows tenfold with the orders (the bug)'
          : 'costs exactly one query whether customers have 1 or 10 paid orders',
        async () => {
          const measured: { queries: number; paidOrders: number }[] = [];
          for (const ordersEach of [1, 10]) {
            const shop = await makeShop(t().app);
            const product = await shop.product({ priceCents: 120 });
            const customers = [await shop.customer(), await shop.customer(), await shop.customer()];
            for (const customer of customers) {
              for (let i = 0; i < ordersEach; i += 1) {
                await shop.order(customer.id, [{ productId: product.id, quantity: 1 + i }, { productId: product.id, quantity: 1 }], 'paid');
              }
            }
            await warmUp(shop);
            const summary = await measure(shop, 'GET', `/api/orders/summary?limit=${customers.length}`);
            expect(summary.status).to.equal(200);
            const paid = summary.body.rows.reduce((sum: number, r: SummaryRow) => sum + r.orderCount, 0);
            expect(paid).to.equal(customers.length * ordersEach);
            measured.push({ queries: summary.queries, paidOrders: paid });
          }
          const [small, big] = measured as [(typeof measured)[0], (typeof measured)[0]];
          if (expectBug) {
            expect(big.queries - small.queries).to.be.at.least(big.paidOrders - small.paidOrders);
          } else {
            expect(small.queries).to.equal(1);
            expect(big.queries).to.equal(1);
          }
        },
      );
    });
  });
});
