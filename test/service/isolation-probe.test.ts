// The isolation probe: every route that takes an id, asked by shop B for shop A's record, must answer
// 404 in the one error shape and change nothing. Run on broken too, where it must find the planted
// leak (orders looked up by id alone) on exactly the routes that go through it: a probe that finds
// nothing there could not fail.
import { expect } from 'chai';
import { errorShapeProblem } from '../helpers/error-shape';
import { makeShop, settledOrder, type Shop } from '../helpers/factories';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { tableChecksum } from '../helpers/rows';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Victim {
  order: number;
  customer: number;
  product: number;
}

const ID_ROUTES: { name: string; method: Method; url: (v: Victim) => string; body?: unknown }[] = [
  { name: 'get order', method: 'GET', url: (v) => `/api/orders/${v.order}` },
  { name: 'cancel order', method: 'POST', url: (v) => `/api/orders/${v.order}/cancel` },
  { name: 'archive order', method: 'POST', url: (v) => `/api/orders/${v.order}/archive` },
  { name: 'delete order', method: 'DELETE', url: (v) => `/api/orders/${v.order}` },
  { name: 'get customer', method: 'GET', url: (v) => `/api/customers/${v.customer}` },
  { name: "customer's orders", method: 'GET', url: (v) => `/api/customers/${v.customer}/orders` },
  { name: 'get product', method: 'GET', url: (v) => `/api/products/${v.product}` },
  { name: 'change product', method: 'PATCH', url: (v) => `/api/products/${v.product}`, body: { priceCents: 1, stock: 0, available: false } },
];

/** The planted bug: broken's findOrder ignores the tenant, and get, cancel and archive go through it. */
const PLANTED_IN_BROKEN = ['get order', 'cancel order', 'archive order'];

async function victimIn(shop: Shop): Promise<Victim> {
  const product = await shop.product({ priceCents: 700, stock: 10 });
  const customer = await shop.customer();
  const order = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }]);
  // broken confirms after answering: let that write land before the checksum is taken.
  await settledOrder(shop, order.id);
  return { order: order.id, customer: customer.id, product: product.id };
}

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('isolation probe', () => {
      const t = useApp(backend, variant);

      it(variant === 'broken' ? 'finds the planted leaks on exactly the routes that have them' : 'answers 404 to another shop on every route that takes an id, changing nothing', async () => {
        const leaks: string[] = [];
        for (const route of ID_ROUTES) {
          // A fresh victim per route: a leaking cancel or archive must not mask the next route.
          const a = await makeShop(t().app, 'victim');
          const b = await makeShop(t().app, 'prober');
          const victim = await victimIn(a);
          const before = await tableChecksum(t().db.knex);
          const response = await b.request(route.method, route.url(victim), route.body);
          // broken's unawaited work after a leaking answer, if any, lands before the second checksum.
          await new Promise((resolve) => setTimeout(resolve, 30));
          const changed = (await tableChecksum(t().db.knex)) !== before;
          const shapeProblem = response.statusCode === 404 ? errorShapeProblem(response) : undefined;
          if (response.statusCode !== 404 || changed || shapeProblem) {
            leaks.push(route.name);
            if (variant === 'fixed') console.log(`      leak on ${route.name}: ${response.statusCode}${changed ? ', rows changed' : ''} ${shapeProblem ?? ''}`);
          }
          if (variant === 'fixed') {
            // The owner still has what it had, so the 404 was isolation, not the record going away.
            expect((await a.request('GET', route.url(victim).replace(/\/(cancel|archive)$/, ''))).statusCode, `${route.name}: the owner's record`).to.equal(200);
          }
        }
        expect(leaks).to.deep.equal(variant === 'broken' ? PLANTED_IN_BROKEN : []);
      });
    });
  });
});
