// filters: GET /api/orders?status=&email=. Broken accepts any status (an unknown one quietly gives
// an empty page), passes the email into ILIKE so % and _ are wildcards, and loads each listed
// order's customer and items one query at a time.
import { expect } from 'chai';
import { ORDER_STATUSES } from '../../variants/contract';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { listAll, makeShop, measure, warmUp, type Shop } from '../helpers/factories';

interface Placed {
  id: number;
  status: string;
  email: string;
}

/** Customers with mixed-case emails and orders in draft and paid; returns what was created. */
async function ordersWithMixedEmails(shop: Shop): Promise<Placed[]> {
  const product = await shop.product();
  const emails = ['Alice.Smith@Example.com', 'bob@example.org', 'carol@alice-corp.net', 'dave@other.io'];
  const customers = [];
  for (const email of emails) customers.push(await shop.customer({ email }));
  const placed: Placed[] = [];
  const plan: [number, 'draft' | 'paid'][] = [[0, 'paid'], [0, 'draft'], [1, 'paid'], [2, 'paid'], [2, 'draft'], [3, 'draft'], [0, 'paid'], [1, 'draft']];
  for (const [c, status] of plan) {
    const order = await shop.order(customers[c]!.id, [{ productId: product.id, quantity: 1 }], status);
    placed.push({ id: order.id, status, email: customers[c]!.email });
  }
  return placed;
}

const ids = (orders: { id: number }[]) => orders.map((o) => o.id).sort((a, b) => a - b);

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('filters', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it('filters by exact status, by case-insensitive email substring, and by both', async () => {
        const shop = await makeShop(t().app);
        const placed = await ordersWithMixedEmails(shop);
        for (const status of ['paid', 'draft']) {
          const page = await shop.ok('GET', `/api/orders?status=${status}`);
          const expected = placed.filter((o) => o.status === status);
          expect(page.count).to.equal(expected.length);
          expect(ids(page.results)).to.deep.equal(ids(expected));
          for (const order of page.results) expect(order.status).to.equal(status);
        }
        // Emails are stored lowercased; the filter is case-insensitive in both directions.
        for (const needle of ['ALICE', 'alice', 'Example.', '@EXAMPLE']) {
          const page = await shop.ok('GET', `/api/orders?email=${encodeURIComponent(needle)}`);
          const expected = placed.filter((o) => o.email.toLowerCase().includes(needle.toLowerCase()));
          expect(expected.length, `data for ${needle}`).to.be.greaterThan(0);
          expect(page.count, needle).to.equal(expected.length);
          expect(ids(page.results), needle).to.deep.equal(ids(expected));
        }
        const both = await shop.ok('GET', '/api/orders?status=draft&email=alice');
        const expected = placed.filter((o) => o.status === 'draft' && o.email.includes('alice'));
        expect(expected.length).to.be.greaterThan(0);
        expect(ids(both.results)).to.deep.equal(ids(expected));
        expect(both.count).to.equal(expected.length);
        const none = await shop.ok('GET', '/api/orders?status=shipped');
        expect(none).to.deep.include({ count: 0, results: [] });
      });

      it(
        expectBug
          ? 'answers an unknown status with 200 and an empty page instead of an error (the bug)'
          : 'rejects an unknown status with 400 naming the allowed values',
        async () => {
          const shop = await makeShop(t().app);
          await ordersWithMixedEmails(shop);
          for (const status of ['refunded', 'PAID', 'paid ']) {
            const response = await shop.request('GET', `/api/orders?status=${encodeURIComponent(status)}`);
            if (expectBug) {
              expect(response.statusCode, status).to.equal(200);
              expect(response.json()).to.deep.include({ count: 0, results: [] });
            } else {
              expect(response.statusCode, status).to.equal(400);
              const body = response.json();
              expect(body).to.include({ statusCode: 400, error: 'Bad Request' });
              for (const allowed of ORDER_STATUSES) expect(body.message).to.contain(allowed);
            }
          }
        },
      );

      it(
        expectBug
          ? 'treats % and _ in the email filter as wildcards (the bug)'
          : 'matches % and _ in the email filter literally',
        async () => {
          const shop = await makeShop(t().app);
          const product = await shop.product();
          const emails = ['a_b@lit.test', 'axb@lit.test', 'p%q@lit.test', 'pzzq@lit.test'];
          const placed: Placed[] = [];
          for (const email of emails) {
            const customer = await shop.customer({ email });
            const order = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }]);
            placed.push({ id: order.id, status: order.status, email });
          }
          for (const needle of ['a_b', 'p%q', '%', '_']) {
            const page = await shop.ok('GET', `/api/orders?email=${encodeURIComponent(needle)}`);
            const literal = placed.filter((o) => o.email.includes(needle));
            const asPattern = new RegExp(needle.replace(/%/g, '.*').replace(/_/g, '.'), 'i');
            const wildcard = placed.filter((o) => asPattern.test(o.email));
            // The data is built so that the two readings differ for every needle.
            expect(ids(wildcard), needle).to.not.deep.equal(ids(literal));
            expect(ids(page.results), needle).to.deep.equal(ids(expectBug ? wildcard : literal));
          }
        },
      );

      it(
        expectBug
          ? 'costs more queries for a page of 20 orders than for 2 (the bug: N+1)'
          : 'costs the same number of queries (at most 3) for a page of 20 orders as for 2',
        async () => {
          const counts: number[] = [];
          const rows: number[] = [];
          for (const size of [2, 22]) {
            const shop = await makeShop(t().app);
            const product = await shop.product();
            const customers = [await shop.customer(), await shop.customer()];
            for (let i = 0; i < size; i += 1) await shop.order(customers[i % 2]!.id, [{ productId: product.id, quantity: 1 }, { productId: product.id, quantity: 2 }]);
            await warmUp(shop);
            const listed = await measure(shop, 'GET', '/api/orders');
            expect(listed.status).to.equal(200);
            expect(listed.body.results).to.have.length(Math.min(size, 20));
            const filtered = await measure(shop, 'GET', '/api/orders?status=paid&email=example');
            expect(filtered.body.results).to.have.length(Math.min(size, 20));
            if (!expectBug) {
              expect(listed.queries).to.be.at.most(3);
              expect(filtered.queries).to.be.at.most(3);
            }
            counts.push(listed.queries, filtered.queries);
            rows.push(listed.body.results.length);
          }
          const [small, smallFiltered, big, bigFiltered] = counts as [number, number, number, number];
          const moreRows = rows[1]! - rows[0]!;
          if (expectBug) {
            // At least one more query (in fact two: customer, items) per extra order on the page.
            expect(big - small).to.be.at.least(moreRows);
            expect(bigFiltered - smallFiltered).to.be.at.least(moreRows);
          } else {
            expect(big).to.equal(small);
            expect(bigFiltered).to.equal(smallFiltered);
          }
        },
      );

      it('pages through every visible order exactly once, newest first', async () => {
        const shop = await makeShop(t().app);
        const placed = await ordersWithMixedEmails(shop);
        const all = await listAll(shop, '/api/orders');
        expect(all.map((o) => o.id)).to.deep.equal(placed.map((o) => o.id).reverse());
        const page2 = await shop.ok('GET', '/api/orders?page=2&pageSize=3');
        expect(page2).to.include({ count: placed.length, page: 2, pageSize: 3 });
        expect(page2.results.map((o: { id: number }) => o.id)).to.deep.equal(placed.map((o) => o.id).reverse().slice(3, 6));
      });
    });
  });
});
