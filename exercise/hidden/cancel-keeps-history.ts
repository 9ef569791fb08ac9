// Hidden, deepens cancel-regression. The destructive hook fires on any save of a cancelled order,
// not only through cancel: a fix that merely routes cancel around it still loses the customer when
// the cancelled order is archived, or cancelled again by a retried request. A cancel changes the
// order's status and nothing else: it gives no stock back (a rule the candidate's README states).
import { defineHiddenScenario } from './define';
import { createCustomer, createProduct, placeOrder } from '../../scenarios/support';

export default defineHiddenScenario({
  id: 'cancel-keeps-history',
  deepens: 'cancel-regression',
  title: 'Cancelling, re-cancelling and archiving an order keeps the customer, their other orders and every row',
  teaches: 'Part A in depth: the root cause is the save hook, not the cancel route',
  timeoutMs: 60_000,
  async run(ctx) {
    const setup = await ctx.step('Create a customer with two paid orders and a draft, and another customer with an order', async () => {
      const tenant = await ctx.newTenant('cancel-history');
      const customer = await createCustomer(ctx, tenant, 'ada@example.com');
      const other = await createCustomer(ctx, tenant, 'alan@example.com');
      const product = await createProduct(ctx, tenant, 'MUG', 1200, 100);
      const cancelled = await placeOrder(ctx, tenant, customer.id, [{ productId: product.id, quantity: 1 }]);
      const kept = await placeOrder(ctx, tenant, customer.id, [{ productId: product.id, quantity: 2 }]);
      const draft = await ctx.http.post('/api/orders', { tenant, body: { customerId: customer.id, status: 'draft', items: [{ productId: product.id, quantity: 3 }] } });
      const theirs = await placeOrder(ctx, tenant, other.id, [{ productId: product.id, quantity: 4 }]);
      return { tenant, customer, other, cancelled, kept, draft: draft.body, theirs };
    });
    const { tenant, customer, cancelled, kept, draft, theirs } = setup;
    const stockOf = (rows: { products: Record<string, unknown>[] }) => rows.products.map((p) => `${p.sku} ${p.stock}`).join(', ');
    const before = await ctx.snapshot(tenant);
    const keptBefore = (await ctx.http.get(`/api/orders/${kept.id}`, { tenant, quiet: true })).body;

    const problems: string[] = [];
    const cancel = await ctx.step(`Cancel order #${cancelled.id}`, () => ctx.http.post(`/api/orders/${cancelled.id}/cancel`, { tenant }));
    if (cancel.status !== 200 || cancel.body?.status !== 'cancelled') problems.push(`cancel answered ${cancel.status} ${JSON.stringify(cancel.body?.status ?? cancel.body)}`);

    const archive = await ctx.step(`Archive the cancelled order #${cancelled.id} (another save of a cancelled order)`, () =>
      ctx.http.post(`/api/orders/${cancelled.id}/archive`, { tenant }),
    );
    ctx.observe('archiving the cancelled order answered', archive.status);
    const again = await ctx.step(`Cancel order #${cancelled.id} again, as a retried request would`, () =>
      ctx.http.post(`/api/orders/${cancelled.id}/cancel`, { tenant }),
    );
    ctx.observe('the second cancel answered', again.status);
    const draftCancel = await ctx.step(`Cancel the draft order #${draft?.id}`, () => ctx.http.post(`/api/orders/${draft?.id}/cancel`, { tenant }));
    ctx.observe('cancelling the draft answered', draftCancel.status);

    const after = await ctx.step('Read everything back', async () => ({
      customer: await ctx.http.get(`/api/customers/${customer.id}`, { tenant }),
      kept: await ctx.http.get(`/api/orders/${kept.id}`, { tenant }),
      cancelled: await ctx.http.get(`/api/orders/${cancelled.id}`, { tenant }),
      theirOrders: await ctx.http.get(`/api/customers/${customer.id}/orders`, { tenant }),
      theirs: await ctx.http.get(`/api/orders/${theirs.id}`, { tenant }),
      summary: await ctx.http.get('/api/orders/summary?limit=50', { tenant }),
      rows: await ctx.snapshot(tenant),
    }));
    ctx.table('Rows in the shop', ['table', 'before', 'after'], [
      ['customers', before.customers, after.rows.customers],
      ['orders', before.orders.length, after.rows.orders.length],
      ['order items', before.items.length, after.rows.items.length],
    ]);

    if (after.customer.status !== 200) problems.push(`the customer is gone (GET /api/customers/${customer.id} answered ${after.customer.status})`);
    if (after.rows.customers !== before.customers || after.rows.orders.length !== before.orders.length || after.rows.items.length !== before.items.length) {
      problems.push(
        `rows were destroyed: customers ${before.customers} -> ${after.rows.customers}, orders ${before.orders.length} -> ${after.rows.orders.length}, items ${before.items.length} -> ${after.rows.items.length}`,
      );
    }
    if (after.kept.status !== 200 || JSON.stringify(after.kept.body) !== JSON.stringify(keptBefore)) {
      problems.push(`the customer's other paid order #${kept.id} did not survive unchanged (HTTP ${after.kept.status})`);
    }
    if (after.cancelled.status !== 200 || after.cancelled.body?.status !== 'cancelled') {
      problems.push(`order #${cancelled.id} reads back as ${after.cancelled.status === 200 ? `"${after.cancelled.body?.status}"` : `HTTP ${after.cancelled.status}`}, not cancelled`);
    }
    const listed = Array.isArray(after.theirOrders.body) ? after.theirOrders.body.map((o: { id: number }) => o.id) : [];
    if (after.theirOrders.status !== 200 || !listed.includes(kept.id) || !listed.includes(draft?.id)) {
      problems.push(`the customer's order list answered ${after.theirOrders.status} with orders [${listed.join(', ')}], expected #${kept.id} and #${draft?.id} among them`);
    }
    if (after.theirs.status !== 200 || after.theirs.body?.status !== 'paid') problems.push(`another customer's order #${theirs.id} changed (HTTP ${after.theirs.status})`);
    const row = (after.summary.body?.rows ?? []).find((r: { customerId: number }) => r.customerId === customer.id);
    ctx.observe('the customer in the summary', row ? `${row.orderCount} paid order(s), ${row.totalCents} cents` : 'absent');
    if (!row || row.orderCount !== 1 || row.totalCents !== kept.totalCents) {
      problems.push(`the summary shows the customer with ${row ? `${row.orderCount} order(s), ${row.totalCents} cents` : 'nothing'}; expected 1 paid order of ${kept.totalCents} cents`);
    }

    for (const [label, response] of [['archiving the cancelled order', archive], ['the second cancel', again]] as const) {
      if (response.status !== 200 && response.status !== 409) problems.push(`${label} answered ${response.status}`);
    }
    if (draftCancel.status !== 200) problems.push(`cancelling the draft answered ${draftCancel.status}`);
    ctx.observe('stock before the cancels, and after', `${stockOf(before)}; ${stockOf(after.rows)}`);
    if (stockOf(after.rows) !== stockOf(before)) problems.push(`cancelling changed the stock (${stockOf(before)} before, ${stockOf(after.rows)} after): a cancel keeps the units taken`);

    if (problems.length) return { verdict: 'FAIL', reason: problems.slice(0, 3).join('; ') };
    return { verdict: 'PASS', reason: 'cancel, a repeated cancel and archiving a cancelled order change only that order; the customer, their other orders, every row and the stock stay as they were' };
  },
});
