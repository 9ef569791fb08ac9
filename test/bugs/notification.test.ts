// notification: broken sends the order confirmation without awaiting it and answers with the
// order as it was before the send, so the 201 body says notificationSentAt: null although the
// confirmation goes out a moment later.
import { AssertionError, expect } from 'chai';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { forEachBackend, forEachVariant, useApp, type TestApp } from '../helpers/matrix';
import { makeShop } from '../helpers/factories';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the mail provider's outbox holds for a shop: the confirmations that really went out. */
async function sentTo(knex: Knex, tenant: string): Promise<number[]> {
  const rows = await knex('sent_notifications').where({ tenant_id: tenant, kind: 'order-confirmation' }).orderBy('id');
  return rows.map((row) => Number(row.order_id));
}

/**
 * Places one order and checks its confirmation went out exactly once: the outbox holds one record
 * per send, so a second send of the same confirmation shows as a second entry, not as the same one.
 */
async function expectOneConfirmation(app: TestApp): Promise<void> {
  const shop = await makeShop(app.app);
  const product = await shop.product();
  const customer = await shop.customer();
  const created = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }]);
  await sleep(50);
  const read = await shop.ok('GET', `/api/orders/${created.id}`);
  expect(read.notificationSentAt).to.be.a('string');
  expect(Date.parse(read.notificationSentAt)).to.be.at.least(Date.parse(read.createdAt));
  if (created.notificationSentAt !== null) expect(read.notificationSentAt).to.equal(created.notificationSentAt);
  await sleep(30);
  expect((await shop.ok('GET', `/api/orders/${created.id}`)).notificationSentAt).to.equal(read.notificationSentAt);
  const sent = await sentTo(app.db.knex, shop.id);
  expect(sent.length, `confirmations sent for order ${created.id}`).to.equal(1);
  expect(sent).to.deep.equal([created.id]);
}

forEachBackend((backend) => {
  describe('notification: a variant that confirms every order twice', () => {
    const t = useApp(backend, join(__dirname, '../exercise/fixtures/double-send'));

    it('fails the "sends it once" check: the check counts sends', async () => {
      let failure: unknown;
      await expectOneConfirmation(t()).catch((err: unknown) => (failure = err));
      expect(failure).to.be.instanceOf(AssertionError);
      expect((failure as Error).message).to.match(/^confirmations sent for order \d+: expected 2 to equal 1$/);
    });
  });

  forEachVariant((variant) => {
    describe('notification', () => {
      const t = useApp(backend, variant);
      const expectBug = variant === 'broken';

      it(
        expectBug
          ? 'answers 201 with notificationSentAt null, the confirmation still on its way (the bug)'
          : 'answers 201 with notificationSentAt set: the confirmation was sent before the answer',
        async () => {
          const shop = await makeShop(t().app);
          const product = await shop.product();
          const customer = await shop.customer();
          const response = await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] });
          expect(response.statusCode).to.equal(201);
          const created = response.json();
          if (expectBug) {
            expect(created.notificationSentAt).to.equal(null);
          } else {
            expect(created.notificationSentAt).to.be.a('string');
            expect(Date.parse(created.notificationSentAt)).to.be.at.least(Date.parse(created.createdAt));
            // The answer is the order as stored, not a stale copy.
            expect(await shop.ok('GET', `/api/orders/${created.id}`)).to.deep.equal(created);
          }
        },
      );

      it('shows the confirmation as sent on a read 50 ms later, on both variants, and sends it once', async () => {
        await expectOneConfirmation(t());
      });

      it('records no order, so sends no confirmation, when the order is refused', async () => {
        const shop = await makeShop(t().app);
        const product = await shop.product({ stock: 1 });
        const customer = await shop.customer();
        const refused = await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: 2 }] });
        expect(refused.statusCode).to.equal(409);
        await sleep(30);
        expect((await shop.ok('GET', '/api/orders')).count).to.equal(0);
        expect(await sentTo(t().db.knex, shop.id)).to.deep.equal([]);
      });

      it('sends nothing for an order refused on a later line, after its earlier line took stock', async () => {
        const shop = await makeShop(t().app);
        // Created first, so the reference takes its stock first and must roll it back.
        const plenty = await shop.product({ stock: 5 });
        const scarce = await shop.product({ stock: 1 });
        const customer = await shop.customer();
        const refused = await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: plenty.id, quantity: 1 }, { productId: scarce.id, quantity: 2 }] });
        expect(refused.statusCode).to.equal(409);
        await sleep(30);
        expect(await sentTo(t().db.knex, shop.id)).to.deep.equal([]);
      });

      it('confirms each of several orders placed at the same moment exactly once', async () => {
        const shop = await makeShop(t().app);
        const product = await shop.product();
        const customer = await shop.customer();
        const placed = await Promise.all(Array.from({ length: 5 }, () => shop.order(customer.id, [{ productId: product.id, quantity: 1 }])));
        await sleep(50);
        expect((await sentTo(t().db.knex, shop.id)).sort((a, b) => a - b)).to.deep.equal(placed.map((o) => o.id).sort((a, b) => a - b));
      });
    });
  });
});
