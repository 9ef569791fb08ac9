// The four cards that act on the shop: seed, cancel, summary and analytics, concurrent orders.
// Each calls the API as a client would and says what it found in plain words.
import type { Analytics, Customer, Order, Page, Product, SeedResult, SummaryRow } from '../../../variants/contract';
import { action, call, currentTenant, failure, onSubmit, problemText, said, wholeNumber, type Reply } from './api';
import { byId, el, email, message, rawJson, show, stats, table, twoLines } from './dom';
import { cents, count, duration } from './format';

const input = (id: string) => byId<HTMLInputElement>(id);

// ---------------------------------------------------------------- seed

export function seedCard(): void {
  action(byId('seed-button'), byId('seed-result'), async (result) => {
    const body = {
      customers: wholeNumber(input('seed-customers'), 'Customers', 1, 1000),
      ordersPerCustomer: wholeNumber(input('seed-orders'), 'Orders per customer', 0, 50),
      itemsPerOrder: wholeNumber(input('seed-items'), 'Items per order', 1, 10),
    };
    const shop = currentTenant();
    show(result, el('p', { class: 'working' }, `Seeding shop ${shop}… this can take a while when the seeder writes row by row.`));
    const res = await call<SeedResult>('POST', '/api/dev/seed', { body });
    if (res.status !== 201) return show(result, message('error', failure(res, 'Seeding'), 'seed-error'));
    const d = res.data;
    show(
      result,
      message('good', `Created ${count(d.customers, 'customer')}, ${count(d.orders, 'order')} and ${count(d.items, 'item')} in ${duration(res.ms)}.`, 'seed-summary'),
      stats([
        { key: 'customers', label: 'Customers', value: d.customers },
        { key: 'orders', label: 'Orders', value: d.orders },
        { key: 'items', label: 'Items', value: d.items },
        { key: 'products', label: 'Products', value: d.products },
        { key: 'ms', label: 'Time taken', value: duration(res.ms) },
        { key: 'queries', label: 'SQL queries', value: res.queries ?? 'n/a' },
      ]),
    );
  });
  onSubmit(byId('seed-form'), byId('seed-button'));
}

// ---------------------------------------------------------------- cancel

export function cancelCard(): void {
  action(byId('cancel-button'), byId('cancel-result'), async (result) => {
    const box = input('cancel-id');
    const raw = box.value.trim();
    const invalid = (text: string) => {
      box.setAttribute('aria-invalid', 'true');
      box.focus();
      show(result, message('error', text, 'cancel-error'));
    };
    if (raw === '') return invalid('Enter an order id.');
    const id = Number(raw.replace(/^#/, ''));
    if (!Number.isInteger(id) || id < 1 || id > 2147483647 || !/^#?\d+$/.test(raw)) {
      return invalid(`"${raw}" is not an order id: enter a whole number, such as 12.`);
    }
    box.setAttribute('aria-invalid', 'false');
    const shop = currentTenant();

    const res = await call<Order>('POST', `/api/orders/${id}/cancel`);
    if (res.status === 404 && /^order \d+ not found/.test(said(res.data).message ?? '')) {
      return show(result, message('error', `No order #${id} in shop ${shop}.`, 'cancel-error'));
    }
    if (!res.ok) return show(result, message('error', failure(res, `Cancelling order #${id}`), 'cancel-error'));

    const order = res.data;
    const answered = [
      message('info', `The server answered ${res.status}: order #${order.id} is now ${order.status}.`, 'cancel-response'),
      stats([
        { key: 'order', label: 'Order', value: `#${order.id}` },
        { key: 'status', label: 'Status', value: order.status },
        { key: 'customer', label: 'Customer', value: `#${order.customerId}` },
        { key: 'total', label: 'Total', value: cents(order.totalCents) },
      ]),
      rawJson(order, 'Raw JSON of the cancel response'),
    ];
    show(result, answered, el('p', { class: 'working' }, `Now checking customer #${order.customerId}…`));

    const customer = await call<Customer>('GET', `/api/customers/${order.customerId}`);
    let verdict: HTMLElement;
    if (customer.status === 200) {
      verdict = message('good', `Customer #${order.customerId} is still there (${customer.data.email}).`, 'customer-verdict');
    } else if (customer.status === 404) {
      verdict = message('bad', `The customer #${order.customerId} was deleted along with all of their orders.`, 'customer-verdict');
    } else {
      verdict = message('error', failure(customer, `Checking customer #${order.customerId}`), 'customer-verdict');
    }
    show(result, answered, el('h3', {}, `Then: GET /api/customers/${order.customerId}`), verdict);
  });
  onSubmit(byId('cancel-form'), byId('cancel-button'));

  action(byId('cancel-pick'), byId('cancel-result'), async (result) => {
    const shop = currentTenant();
    // The newest order that can still be cancelled: a shipped one is refused (409) by a correct service.
    const res = await call<Page<Order>>('GET', '/api/orders?pageSize=50');
    if (!res.ok) return show(result, message('error', failure(res, 'Finding the newest order'), 'cancel-error'));
    const orders = res.data.results ?? [];
    const newest = orders.find((o) => o.status === 'paid' || o.status === 'draft');
    if (!newest) {
      const why = orders.length ? 'none of its newest orders is paid or draft' : 'it has no orders yet';
      return show(result, message('info', `Nothing to cancel in shop ${shop}: ${why}. Seed some sample data first.`));
    }
    const box = input('cancel-id');
    box.value = String(newest.id);
    box.focus();
    show(result, message('info', `Filled in order #${newest.id} (${newest.status}, customer #${newest.customerId}). Press “Cancel order” to cancel it.`));
  });
}

// ---------------------------------------------------------------- summary and analytics

function queryReading(res: Reply<unknown>, rows: number, rowWord: string): HTMLElement {
  const n = res.queries;
  if (n === undefined) return message('info', 'The server sent no Server-Timing header, so the query count is unknown.', 'query-verdict');
  const queries = count(n, 'SQL query', 'SQL queries');
  if (rows === 0) return message('info', `${queries} for no ${rowWord}s: seed some data to see whether the count grows.`, 'query-verdict');
  if (n > 3 && n > rows) return message('bad', `${queries} for ${count(rows, rowWord)}: more than one per ${rowWord}, the mark of an N+1.`, 'query-verdict');
  if (n <= 3) return message('good', `${queries} for ${count(rows, rowWord)}: a constant handful, not one per ${rowWord}.`, 'query-verdict');
  return message('info', `${queries} for ${count(rows, rowWord)}. Seed more data and run it again: does the count grow?`, 'query-verdict');
}

function timing(res: Reply<unknown>): HTMLElement {
  return stats([
    { key: 'ms', label: 'Time (browser)', value: duration(res.ms) },
    { key: 'queries', label: 'SQL queries', value: res.queries ?? 'n/a' },
    { key: 'db', label: 'Database time', value: res.dbMs === undefined ? 'n/a' : `${res.dbMs.toFixed(1)} ms` },
  ]);
}

const SHOWN_ROWS = 10;

export function queriesCard(): void {
  action(byId('summary-button'), byId('queries-result'), async (result) => {
    const res = await call<{ rows: SummaryRow[] }>('GET', '/api/orders/summary?limit=50');
    if (!res.ok) return show(result, message('error', failure(res, 'The summary'), 'queries-error'));
    const rows = res.data.rows;
    show(
      result,
      el('h3', {}, 'Top customers by money spent'),
      timing(res),
      queryReading(res, rows.length, 'row'),
      rows.length
        ? table(
            rows.length > SHOWN_ROWS ? `The first ${SHOWN_ROWS} of ${rows.length} rows` : `${count(rows.length, 'row')}`,
            ['Customer', 'Paid orders', 'Spent'],
            rows.slice(0, SHOWN_ROWS).map((r) => [twoLines(`#${r.customerId}`, email(r.email)), r.orderCount, cents(r.totalCents)]),
            { numeric: [1, 2] },
          )
        : message('info', 'No customers in this shop yet: seed some sample data first.'),
      rawJson(res.data),
    );
  });

  action(byId('analytics-button'), byId('queries-result'), async (result) => {
    const res = await call<Analytics>('GET', '/api/analytics');
    if (!res.ok) return show(result, message('error', failure(res, 'Analytics'), 'queries-error'));
    const a = res.data;
    const days = a.ordersByDay ?? [];
    const first = days[0];
    const last = days[days.length - 1];
    show(
      result,
      el('h3', {}, 'Analytics'),
      timing(res),
      queryReading(res, a.totalOrders, 'order'),
      el('p', { class: 'plain' }, `${count(a.totalOrders, 'order')} worth ${cents(a.totalRevenue)}`, first && last ? `, on ${count(days.length, 'day')} from ${first.date} to ${last.date}.` : '.'),
      a.topItems.length
        ? table('Top items by quantity', ['Item', 'Quantity', 'Revenue'], a.topItems.map((i) => [twoLines(i.name, i.sku), i.quantity, cents(i.revenue)]), { numeric: [1, 2] })
        : null,
      rawJson(a),
    );
  });
}

// ---------------------------------------------------------------- concurrent orders

/** An order's answer, or the Problem that kept it from getting one (status 0). */
type Answer = { status: number; data: unknown };

export function raceCard(): void {
  action(byId('race-button'), byId('race-result'), async (result) => {
    const orders = wholeNumber(input('race-orders'), 'Orders at once', 1, 200);
    const stock = wholeNumber(input('race-stock'), 'Units in stock', 0, 1000);
    currentTenant();
    const step = (text: string) => show(result, el('p', { class: 'working' }, text));
    const stamp = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

    step('Creating a product…');
    const product = await call<Product>('POST', '/api/products', {
      body: { sku: `RACE-${stamp}`.toUpperCase(), name: `Race test ${stamp}`, priceCents: 500, stock },
    });
    if (product.status !== 201) return show(result, message('error', failure(product, 'Creating the product'), 'race-error'));
    const productId = product.data.id;

    step('Finding a customer…');
    const list = await call<Page<Customer>>('GET', '/api/customers?pageSize=1');
    if (!list.ok) return show(result, message('error', failure(list, 'Finding a customer'), 'race-error'));
    let customer = list.data.results[0];
    if (!customer) {
      const created = await call<Customer>('POST', '/api/customers', { body: { name: 'Race tester', email: `race-${stamp}@example.com` } });
      if (created.status !== 201) return show(result, message('error', failure(created, 'Creating a customer'), 'race-error'));
      customer = created.data;
    }

    step(`Placing ${orders} orders at once…`);
    const started = performance.now();
    const customerId = customer.id;
    const answers: Answer[] = await Promise.all(
      Array.from({ length: orders }, () =>
        call('POST', '/api/orders', { body: { customerId, items: [{ productId, quantity: 1 }] } }).catch(
          (err: unknown): Answer => ({ status: 0, data: { message: problemText(err) } }),
        ),
      ),
    );
    const elapsed = performance.now() - started;

    const after = await call<Product>('GET', `/api/products/${productId}`);
    if (!after.ok) return show(result, message('error', failure(after, 'Reading the product back'), 'race-error'));

    const accepted = answers.filter((a) => a.status === 201).length;
    const rejected = answers.filter((a) => a.status === 409).length;
    const other = orders - accepted - rejected;
    const sold = accepted; // one unit each
    const finalStock = after.data.stock;
    const oversold = Math.max(0, sold - stock);

    const verdicts: HTMLElement[] = [];
    if (oversold > 0) verdicts.push(message('bad', `Oversold by ${count(oversold, 'unit')}: ${sold} sold with only ${stock} in stock.`, 'race-verdict'));
    else if (sold === stock) verdicts.push(message('good', 'No oversell: sold exactly what was in stock.', 'race-verdict'));
    else verdicts.push(message('good', `No oversell: sold ${sold} of the ${stock} units in stock.`, 'race-verdict'));
    if (finalStock !== null && finalStock < 0) verdicts.push(message('bad', `The stock went negative: ${finalStock}.`));
    if (oversold === 0 && finalStock !== null && finalStock !== stock - sold) {
      verdicts.push(message('bad', `The stock does not add up: ${stock} at the start, ${sold} sold, so ${stock - sold} should be left, but the product says ${finalStock}.`));
    }
    if (other > 0) {
      const reasons = [...new Set(answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => (a.status ? `${a.status}: ` : '') + (said(a.data).message || 'no message')))];
      verdicts.push(message('error', `${count(other, 'order')} got another answer: ${reasons.slice(0, 3).join('; ')}.`));
    }

    show(
      result,
      verdicts,
      stats([
        { key: 'accepted', label: 'Accepted (201)', value: accepted, tone: oversold > 0 ? 'bad' : null },
        { key: 'rejected', label: 'Rejected (409)', value: rejected },
        { key: 'other', label: 'Other', value: other },
        { key: 'sold', label: 'Units sold', value: sold },
        { key: 'final-stock', label: 'Final stock', value: finalStock === null ? 'unlimited' : finalStock, tone: finalStock !== null && finalStock < 0 ? 'bad' : null },
      ]),
      el('p', { class: 'plain' }, `Product #${productId} (${product.data.sku}) started with ${count(stock, 'unit')}; ${count(orders, 'order')} for one unit each were sent together and all answered in ${duration(elapsed)}.`),
      rawJson(after.data, 'Raw JSON of the product afterwards'),
    );
  });
  onSubmit(byId('race-form'), byId('race-button'));
}
