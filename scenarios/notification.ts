// Incident: customers say their order confirmations arrive "sometimes"; the API says none were sent.
// After the first fix, some customers got two confirmations, and one got a confirmation for an
// order the shop never had. The mail provider's outbox (what really went out) settles all three.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineScenario, type HttpResponse } from '../harness/scenario';
import { createCustomer, createProduct } from './support';

const AT_ONCE = 5;
/** Long enough for a confirmation sent after the answer (the planted bug) to reach the outbox. */
const SETTLE_MS = 200;

export default defineScenario({
  id: 'notification',
  title: 'The order confirmation is sent after the answer, so a new order reports notificationSentAt: null',
  teaches: 'a promise that is not awaited, and a stale object returned',
  async run(ctx) {
    const tenant = await ctx.newTenant('notify');
    const { customer, tea, scarce } = await ctx.step('Create a shop with a customer, an unlimited product and one with 1 in stock', async () => ({
      customer: await createCustomer(ctx, tenant, 'grace@example.com'),
      tea: await createProduct(ctx, tenant, 'TEA', 450),
      scarce: await createProduct(ctx, tenant, 'SCARCE', 900, 1),
    }));
    const order = (items: { productId: number; quantity: number }[], quiet = false) =>
      ctx.http.post('/api/orders', { tenant, quiet, body: { customerId: customer.id, items } });

    const first = await ctx.step('Place an order', () => order([{ productId: tea.id, quantity: 1 }]));
    ctx.observe('placing the order answered', first.status);
    ctx.observe('notificationSentAt in the 201 answer', first.body?.notificationSentAt ?? null);
    if (first.status >= 500 && !ctx.backend.capabilities.concurrentTransactions) {
      return {
        verdict: 'INCONCLUSIVE',
        reason: `placing an order answered ${first.status} on ${ctx.backend.name}, whose only connection is held by an open transaction: a send made beside it (inside the order's transaction) waits until the pool gives up`,
        settleWith: ctx.backend.settleWith,
      };
    }
    if (first.status !== 201) return { verdict: 'FAIL', reason: `placing an order answered ${first.status}: ${JSON.stringify(first.body)}` };

    const later = await ctx.step(`Read the order again ${SETTLE_MS} ms later`, async () => {
      await sleep(SETTLE_MS);
      return ctx.http.get(`/api/orders/${first.body.id}`, { tenant });
    });
    ctx.observe(`notificationSentAt ${SETTLE_MS} ms later`, later.body?.notificationSentAt ?? null);

    const together = await ctx.step(`Place ${AT_ONCE} orders at the same moment`, () =>
      Promise.all(Array.from({ length: AT_ONCE }, () => order([{ productId: tea.id, quantity: 1 }], true))),
    );
    ctx.observe(`answers to the ${AT_ONCE} simultaneous orders`, together.map((r) => r.status).join(', '));

    const refused = await ctx.step('Place an order whose second line asks for 2 of the product with 1 in stock', () =>
      order([{ productId: tea.id, quantity: 1 }, { productId: scarce.id, quantity: 2 }]),
    );
    ctx.observe('the order with an out-of-stock line answered (expected 409)', refused.status);

    const rows = await ctx.step(`Wait ${SETTLE_MS} ms, then read the mail provider's outbox and the shop's orders`, async () => {
      await sleep(SETTLE_MS);
      return ctx.snapshot(tenant);
    });
    const placed = [first, ...together, refused].filter((r) => r.status === 201).map((r: HttpResponse) => Number(r.body.id));
    const existing = new Set(rows.orders.map((o) => Number(o.id)));
    const sends = new Map<number, number>();
    for (const sent of rows.notifications) sends.set(sent.order_id, (sends.get(sent.order_id) ?? 0) + 1);
    const missing = placed.filter((id) => !sends.has(id));
    const doubled = [...sends].filter(([id, count]) => existing.has(id) && count > 1);
    const phantom = [...sends.keys()].filter((id) => !existing.has(id));
    ctx.table('Confirmations in the outbox', ['order', 'placed (201)', 'in the database', 'confirmations sent'],
      [...new Set([...placed, ...sends.keys()])].sort((a, b) => a - b).map((id) => [id, placed.includes(id), existing.has(id), sends.get(id) ?? 0]),
    );

    const problems: string[] = [];
    const failed = [...together, refused].filter((r) => r.status >= 500);
    if (failed.length) problems.push(`${failed.length} order(s) answered ${failed[0]!.status}`);
    if (first.body.notificationSentAt == null && later.body?.notificationSentAt) {
      problems.push(`the 201 answer says no confirmation was sent, yet ${SETTLE_MS} ms later the order shows one: the send is not awaited and the answer is the order as it was before`);
    } else if (first.body.notificationSentAt == null) {
      problems.push(`the order shows no confirmation, not even ${SETTLE_MS} ms later`);
    }
    if (missing.length) problems.push(`no confirmation went out for ${missing.length} of ${placed.length} placed orders (#${missing.join(', #')})`);
    if (doubled.length) problems.push(`${doubled.length} order(s) were confirmed more than once (${doubled.map(([id, n]) => `#${id}: ${n} times`).join(', ')})`);
    if (phantom.length) problems.push(`${phantom.length} confirmation(s) went out for an order that does not exist (#${phantom.join(', #')}): sent before its transaction rolled back`);
    if (problems.length) return { verdict: 'FAIL', reason: problems.join('; ') };
    const refusal = refused.status === 201 ? 'the order with an out-of-stock line was accepted, so no refusal was tried' : `the order refused with ${refused.status} got none`;
    return {
      verdict: 'PASS',
      reason: `the confirmation is recorded before the order is returned; ${placed.length} placed orders (${AT_ONCE} of them at once) got exactly one confirmation each, and ${refusal}`,
    };
  },
});
