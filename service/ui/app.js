// Regression Lab's page: plain DOM, no framework. Every action calls the API as a client would
// and says what it found in plain words; nothing here is trusted HTML (text goes in as text).
'use strict';

(() => {
  const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- small DOM helpers

  /** el('p', { class: 'x' }, 'text', child…): attributes set as attributes, children as text or nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** kind: good (behaves correctly), bad (a bug showed), error (the request failed), info. */
  function message(kind, text, testId) {
    return el('p', { class: `message message-${kind}`, 'data-kind': kind, 'data-testid': testId }, text);
  }

  function show(container, ...nodes) {
    container.replaceChildren(...nodes.flat().filter(Boolean));
  }

  function rawJson(data, label = 'Raw JSON') {
    return el('details', { class: 'raw' }, el('summary', {}, label), el('pre', { tabindex: '0' }, JSON.stringify(data, null, 2)));
  }

  function stats(items) {
    return el(
      'dl',
      { class: 'stats' },
      items.map(({ key, label, value, tone }) =>
        el('div', { class: tone ? `stat stat-${tone}` : 'stat' }, el('dt', {}, label), el('dd', { 'data-stat': key }, value)),
      ),
    );
  }

  function table(caption, columns, rows, { numeric = [] } = {}) {
    return el(
      'div',
      { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
      el(
        'table',
        {},
        el('caption', {}, caption),
        el('thead', {}, el('tr', {}, columns.map((c, i) => el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, c)))),
        el('tbody', {}, rows.map((row) => el('tr', {}, row.map((cell, i) => el('td', { class: numeric.includes(i) ? 'num' : null }, cell))))),
      ),
    );
  }

  /** A table cell's main text with a quieter second line under it (keeps tables narrow on phones). */
  function twoLines(main, second) {
    return el('span', { class: 'two-lines' }, el('span', {}, main), el('span', { class: 'second' }, second));
  }

  /** An email that may wrap before its @ rather than in the middle of a word. */
  function email(address) {
    const at = String(address).indexOf('@');
    return at > 0 ? el('span', {}, address.slice(0, at), el('wbr'), address.slice(at)) : String(address);
  }

  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  const cents = (value) => money.format((Number(value) || 0) / 100);
  const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

  function duration(ms) {
    return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
  }

  // ---------------------------------------------------------------- talking to the API

  /** A problem to tell the user as it is: bad input, or a request that could not be made. */
  class Problem extends Error {}

  function currentTenant() {
    const input = $('tenant');
    const value = input.value.trim();
    const ok = TENANT_PATTERN.test(value);
    input.setAttribute('aria-invalid', ok ? 'false' : 'true');
    if (!value) throw new Problem('Enter a shop (tenant) id at the top of the page, for example "demo".');
    if (!ok) throw new Problem(`"${value}" is not a shop id: use lowercase letters, digits and dashes, starting with a letter or digit.`);
    return value;
  }

  function parseServerTiming(header) {
    if (!header) return {};
    const db = header.split(',').map((part) => part.trim()).find((part) => /^db(;|$)/.test(part));
    if (!db) return {};
    const dur = /;\s*dur=([\d.]+)/.exec(db);
    const desc = /;\s*desc="?(\d+) quer/.exec(db);
    return { dbMs: dur ? Number(dur[1]) : undefined, queries: desc ? Number(desc[1]) : undefined };
  }

  /**
   * One request. Never throws for an HTTP status (callers decide what a 404 means); throws a
   * Problem when the server cannot be reached or the tenant box is invalid.
   */
  async function call(method, path, { body, tenant = true } = {}) {
    const headers = { accept: 'application/json' };
    if (tenant) headers['x-tenant-id'] = currentTenant();
    if (body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    let response;
    let text;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      text = await response.text();
    } catch {
      throw new Problem(`Could not reach the server for ${method} ${path}. Is it still running? (npm run dev)`);
    }
    const ms = performance.now() - started;
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    return { method, path, status: response.status, ok: response.ok, data, ms, headers: response.headers, ...parseServerTiming(response.headers.get('server-timing')) };
  }

  /** The plain-words version of a failed response. */
  function failure(res, what) {
    const said = res.data && typeof res.data === 'object' && typeof res.data.message === 'string' ? res.data.message : '';
    const statusText = (res.data && res.data.error) || '';
    const status = `${res.status}${statusText ? ` ${statusText}` : ''}`;
    if (res.status >= 500) return `${what} failed: the server had an internal error (${status}). Its log has the details.`;
    if (said) return `${what} failed (${status}): ${said.replace(/\.?$/, '.')}`;
    return `${what} failed with status ${status}.`;
  }

  function problemText(err) {
    return err instanceof Problem ? err.message : `Something went wrong in the page: ${err && err.message ? err.message : err}`;
  }

  /**
   * Runs one action behind a button. The button is marked busy rather than disabled so that
   * keyboard focus stays on it; a second press while busy does nothing.
   */
  function action(button, result, run) {
    button.addEventListener('click', async (event) => {
      event.preventDefault();
      if (button.getAttribute('aria-disabled') === 'true') return;
      button.setAttribute('aria-disabled', 'true');
      result.setAttribute('aria-busy', 'true');
      show(result, el('p', { class: 'working' }, 'Working…'));
      try {
        await run(result);
      } catch (err) {
        show(result, message('error', problemText(err), 'error'));
      } finally {
        button.removeAttribute('aria-disabled');
        result.removeAttribute('aria-busy');
      }
    });
  }

  /** Submitting the form (Enter in a field) runs the same action as its submit button. */
  function onSubmit(form, button) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      button.click();
    });
  }

  function wholeNumber(input, label, min, max) {
    const raw = input.value.trim();
    const value = Number(raw);
    const ok = raw !== '' && /^\d+$/.test(raw) && value >= min && value <= max;
    input.setAttribute('aria-invalid', ok ? 'false' : 'true');
    if (!ok) {
      input.focus();
      throw new Problem(`${label} must be a whole number from ${min} to ${max}.`);
    }
    return value;
  }

  // ---------------------------------------------------------------- the server and the shop

  async function loadHealth() {
    const note = $('server-message');
    try {
      const res = await call('GET', '/health', { tenant: false });
      if (!res.ok) throw new Problem(failure(res, 'Asking the server about itself'));
      const { variant, backend, dev } = res.data;
      const badge = $('server-variant');
      badge.textContent = variant;
      badge.className = `badge badge-${/^(broken|fixed)$/.test(variant) ? variant : 'other'}`;
      $('server-backend').textContent = backend;
      $('server-dev').textContent = dev ? 'on' : 'off (seeding is disabled)';
      document.title = `Regression Lab · ${variant}`;
      note.hidden = true;
    } catch (err) {
      note.textContent = problemText(err);
      note.className = 'message message-error';
      note.hidden = false;
    }
  }

  $('tenant').addEventListener('input', () => $('tenant').removeAttribute('aria-invalid'));
  $('tenant-form').addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      currentTenant();
    } catch (err) {
      const note = $('server-message');
      note.textContent = problemText(err);
      note.className = 'message message-error';
      note.hidden = false;
    }
  });

  // ---------------------------------------------------------------- seed

  action($('seed-button'), $('seed-result'), async (result) => {
    const body = {
      customers: wholeNumber($('seed-customers'), 'Customers', 1, 1000),
      ordersPerCustomer: wholeNumber($('seed-orders'), 'Orders per customer', 0, 50),
      itemsPerOrder: wholeNumber($('seed-items'), 'Items per order', 1, 10),
    };
    const shop = currentTenant();
    show(result, el('p', { class: 'working' }, `Seeding shop ${shop}… this can take a while on the broken variant.`));
    const res = await call('POST', '/api/dev/seed', { body });
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
  onSubmit($('seed-form'), $('seed-button'));

  // ---------------------------------------------------------------- cancel

  action($('cancel-button'), $('cancel-result'), async (result) => {
    const input = $('cancel-id');
    const raw = input.value.trim();
    const invalid = (text) => {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      show(result, message('error', text, 'cancel-error'));
    };
    if (raw === '') return invalid('Enter an order id.');
    const id = Number(raw.replace(/^#/, ''));
    if (!Number.isInteger(id) || id < 1 || id > 2147483647 || !/^#?\d+$/.test(raw)) {
      return invalid(`"${raw}" is not an order id: enter a whole number, such as 12.`);
    }
    input.setAttribute('aria-invalid', 'false');
    const shop = currentTenant();

    const res = await call('POST', `/api/orders/${id}/cancel`);
    if (res.status === 404 && /^order \d+ not found/.test(res.data && res.data.message)) {
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

    const customer = await call('GET', `/api/customers/${order.customerId}`);
    let verdict;
    if (customer.status === 200) {
      verdict = message('good', `Customer #${order.customerId} is still there (${customer.data.email}).`, 'customer-verdict');
    } else if (customer.status === 404) {
      verdict = message('bad', `The customer #${order.customerId} was deleted along with all of their orders.`, 'customer-verdict');
    } else {
      verdict = message('error', failure(customer, `Checking customer #${order.customerId}`), 'customer-verdict');
    }
    show(result, answered, el('h3', {}, `Then: GET /api/customers/${order.customerId}`), verdict);
  });
  onSubmit($('cancel-form'), $('cancel-button'));

  action($('cancel-pick'), $('cancel-result'), async (result) => {
    const shop = currentTenant();
    // The newest order that can still be cancelled: a shipped one is refused (409) by a correct service.
    const res = await call('GET', '/api/orders?pageSize=50');
    if (!res.ok) return show(result, message('error', failure(res, 'Finding the newest order'), 'cancel-error'));
    const orders = res.data.results || [];
    const newest = orders.find((o) => o.status === 'paid' || o.status === 'draft');
    if (!newest) {
      const why = orders.length ? 'none of its newest orders is paid or draft' : 'it has no orders yet';
      return show(result, message('info', `Nothing to cancel in shop ${shop}: ${why}. Seed some sample data first.`));
    }
    $('cancel-id').value = String(newest.id);
    $('cancel-id').focus();
    show(result, message('info', `Filled in order #${newest.id} (${newest.status}, customer #${newest.customerId}). Press “Cancel order” to cancel it.`));
  });

  // ---------------------------------------------------------------- summary and analytics

  function queryReading(res, rows, rowWord) {
    const n = res.queries;
    if (n === undefined) return message('info', 'The server sent no Server-Timing header, so the query count is unknown.', 'query-verdict');
    const queries = count(n, 'SQL query', 'SQL queries');
    if (rows === 0) return message('info', `${queries} for no ${rowWord}s: seed some data to see whether the count grows.`, 'query-verdict');
    if (n > 3 && n > rows) return message('bad', `${queries} for ${count(rows, rowWord)}: more than one per ${rowWord}, the mark of an N+1.`, 'query-verdict');
    if (n <= 3) return message('good', `${queries} for ${count(rows, rowWord)}: a fixed handful, not one per ${rowWord}.`, 'query-verdict');
    return message('info', `${queries} for ${count(rows, rowWord)}. Seed more data and run it again: does the count grow?`, 'query-verdict');
  }

  function timing(res) {
    return stats([
      { key: 'ms', label: 'Time (browser)', value: duration(res.ms) },
      { key: 'queries', label: 'SQL queries', value: res.queries ?? 'n/a' },
      { key: 'db', label: 'Database time', value: res.dbMs === undefined ? 'n/a' : `${res.dbMs.toFixed(1)} ms` },
    ]);
  }

  const SHOWN_ROWS = 10;

  action($('summary-button'), $('queries-result'), async (result) => {
    const res = await call('GET', '/api/orders/summary?limit=50');
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

  action($('analytics-button'), $('queries-result'), async (result) => {
    const res = await call('GET', '/api/analytics');
    if (!res.ok) return show(result, message('error', failure(res, 'Analytics'), 'queries-error'));
    const a = res.data;
    const days = a.ordersByDay || [];
    show(
      result,
      el('h3', {}, 'Analytics'),
      timing(res),
      queryReading(res, a.totalOrders, 'order'),
      el(
        'p',
        { class: 'plain' },
        `${count(a.totalOrders, 'order')} worth ${cents(a.totalRevenue)}`,
        days.length ? `, on ${count(days.length, 'day')} from ${days[0].date} to ${days[days.length - 1].date}.` : '.',
      ),
      a.topItems.length
        ? table('Top items by quantity', ['Item', 'Quantity', 'Revenue'], a.topItems.map((i) => [twoLines(i.name, i.sku), i.quantity, cents(i.revenue)]), { numeric: [1, 2] })
        : null,
      rawJson(a),
    );
  });

  // ---------------------------------------------------------------- concurrent orders

  action($('race-button'), $('race-result'), async (result) => {
    const orders = wholeNumber($('race-orders'), 'Orders at once', 1, 200);
    const stock = wholeNumber($('race-stock'), 'Units in stock', 0, 1000);
    currentTenant();
    const step = (text) => show(result, el('p', { class: 'working' }, text));
    const stamp = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

    step('Creating a product…');
    const product = await call('POST', '/api/products', {
      body: { sku: `RACE-${stamp}`.toUpperCase(), name: `Race test ${stamp}`, priceCents: 500, stock },
    });
    if (product.status !== 201) return show(result, message('error', failure(product, 'Creating the product'), 'race-error'));
    const productId = product.data.id;

    step('Finding a customer…');
    const list = await call('GET', '/api/customers?pageSize=1');
    if (!list.ok) return show(result, message('error', failure(list, 'Finding a customer'), 'race-error'));
    let customer = list.data.results[0];
    if (!customer) {
      const created = await call('POST', '/api/customers', { body: { name: 'Race tester', email: `race-${stamp}@example.com` } });
      if (created.status !== 201) return show(result, message('error', failure(created, 'Creating a customer'), 'race-error'));
      customer = created.data;
    }

    step(`Placing ${orders} orders at once…`);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: orders }, () =>
        call('POST', '/api/orders', { body: { customerId: customer.id, items: [{ productId, quantity: 1 }] } }).catch((err) => ({
          status: 0,
          data: { message: problemText(err) },
        })),
      ),
    );
    const elapsed = performance.now() - started;

    const after = await call('GET', `/api/products/${productId}`);
    if (!after.ok) return show(result, message('error', failure(after, 'Reading the product back'), 'race-error'));

    const accepted = answers.filter((a) => a.status === 201).length;
    const rejected = answers.filter((a) => a.status === 409).length;
    const other = orders - accepted - rejected;
    const sold = accepted; // one unit each
    const finalStock = after.data.stock;
    const oversold = Math.max(0, sold - stock);

    const verdicts = [];
    if (oversold > 0) verdicts.push(message('bad', `Oversold by ${count(oversold, 'unit')}: ${sold} sold with only ${stock} in stock.`, 'race-verdict'));
    else if (sold === stock) verdicts.push(message('good', 'No oversell: sold exactly what was in stock.', 'race-verdict'));
    else verdicts.push(message('good', `No oversell: sold ${sold} of the ${stock} units in stock.`, 'race-verdict'));
    if (finalStock !== null && finalStock < 0) verdicts.push(message('bad', `The stock went negative: ${finalStock}.`));
    if (oversold === 0 && finalStock !== null && finalStock !== stock - sold) {
      verdicts.push(message('bad', `The stock does not add up: ${stock} at the start, ${sold} sold, so ${stock - sold} should be left, but the product says ${finalStock}.`));
    }
    if (other > 0) {
      const reasons = [...new Set(answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => (a.status ? `${a.status}: ` : '') + ((a.data && a.data.message) || 'no message')))];
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
  onSubmit($('race-form'), $('race-button'));

  // ---------------------------------------------------------------- the latest scenario report

  const SERIES_CLASSES = ['series-a', 'series-b', 'series-c', 'series-d'];

  function seriesClass(name, index) {
    if (name === 'broken') return 'series-broken';
    if (name === 'fixed') return 'series-fixed';
    if (name === 'p50') return 'series-p50';
    if (name === 'p99') return 'series-p99';
    return SERIES_CLASSES[index % SERIES_CLASSES.length];
  }

  let chartId = 0;

  /**
   * A horizontal grouped bar chart as inline SVG: one heading row per group, one bar per series.
   * Horizontal so that it stays readable at phone width; values are printed at the bar ends.
   */
  function barChart({ title, unit, groups, series, format = (v) => String(v) }) {
    const id = `chart-${++chartId}`;
    // Drawn in a 360-unit box that the page scales to its column (about 300 to 400 px wide).
    const width = 360;
    const labelW = 64;
    const valueW = 60;
    const barH = 18;
    const gap = 5;
    const groupHead = 22;
    const groupGap = 8;
    const max = Math.max(0, ...groups.flatMap((g) => g.bars.map((b) => b.value)));
    const scale = (v) => (max > 0 ? ((width - labelW - valueW) * v) / max : 0);

    const nodes = [];
    let y = 0;
    const described = [];
    for (const group of groups) {
      nodes.push(svg('text', { x: 0, y: y + 15, class: 'chart-group' }, group.label));
      y += groupHead;
      for (const bar of group.bars) {
        const index = series.indexOf(bar.series);
        const w = Math.max(bar.value > 0 ? 2 : 0, scale(bar.value));
        const name = bar.series.length > 10 ? `${bar.series.slice(0, 9)}…` : bar.series;
        nodes.push(
          svg('text', { x: labelW - 6, y: y + barH - 5, class: 'chart-label', 'text-anchor': 'end' }, name),
          svg('rect', { x: labelW, y, width: w.toFixed(1), height: barH, rx: 2, class: `bar ${seriesClass(bar.series, index)}` }, svg('title', {}, `${group.label}, ${bar.series}: ${format(bar.value)} ${unit}`)),
          svg('text', { x: labelW + w + 5, y: y + barH - 5, class: 'chart-value' }, format(bar.value)),
        );
        described.push(`${group.label}, ${bar.series}: ${format(bar.value)} ${unit}`);
        y += barH + gap;
      }
      y += groupGap;
    }
    const height = Math.max(y - groupGap, 1);
    const chart = svg(
      'svg',
      { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'chart', preserveAspectRatio: 'xMinYMin meet' },
      svg('title', { id: `${id}-t` }, `${title} (${unit})`),
      svg('desc', { id: `${id}-d` }, described.join('; ')),
      nodes,
    );
    const legend = el(
      'ul',
      { class: 'legend', 'aria-hidden': 'true' },
      series.map((name, i) => el('li', {}, el('span', { class: `swatch ${seriesClass(name, i)}` }), name)),
    );
    return el('figure', { class: 'chart-figure' }, el('figcaption', {}, title, el('span', { class: 'unit' }, ` · ${unit}`)), legend, chart);
  }

  const VERDICT_NOTES = {
    PASS: 'behaves correctly',
    FAIL: 'the bug showed',
    INCONCLUSIVE: 'this backend cannot tell',
    ERROR: 'the scenario crashed',
    TIMEOUT: 'ran out of time',
  };

  function unique(values) {
    return [...new Set(values.filter((v) => v !== undefined && v !== null))];
  }

  function renderReport(report, fileName) {
    const results = Array.isArray(report.results) ? report.results : [];
    const header = report.header || {};
    const variants = unique([...(header.variants || []), ...results.map((r) => r.variant)]);
    const scenarios = unique([...(report.scenarios || []), ...results.map((r) => r.scenario)]);
    const find = (scenario, variant) => results.find((r) => r.scenario === scenario && r.variant === variant);
    const titleOf = (scenario) => (results.find((r) => r.scenario === scenario) || {}).title;

    const facts = [
      header.date && `run ${new Date(header.date).toLocaleString()}`,
      header.backend && `backend ${header.backend}`,
      header.databaseVersion,
      header.scale && `scale ${header.scale}`,
      header.commit && `commit ${String(header.commit).slice(0, 7)}`,
      fileName && `file ${fileName}`,
    ].filter(Boolean);

    const nodes = [el('p', { class: 'plain report-facts' }, facts.join(' · '))];
    if (report.complete === false) nodes.push(message('info', 'This run had not finished (or was interrupted): some results may be missing.'));
    if (!results.length) {
      nodes.push(message('info', 'The report has no scenario results yet.'));
      return nodes;
    }

    // The verdict matrix: a scenario per row, a variant per column.
    nodes.push(
      el('h3', {}, 'Verdicts'),
      el('p', { class: 'hint' }, 'PASS: the service behaves correctly. FAIL: the scenario reproduced the bug. INCONCLUSIVE: this backend cannot show it.'),
      el(
        'div',
        { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Verdict matrix' },
        el(
          'table',
          { class: 'matrix', id: 'verdict-matrix' },
          el('caption', {}, `${count(scenarios.length, 'scenario')} × ${count(variants.length, 'variant')}`),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Scenario'), variants.map((v) => el('th', { scope: 'col' }, v)))),
          el(
            'tbody',
            {},
            scenarios.map((scenario) =>
              el(
                'tr',
                { 'data-scenario': scenario },
                el('th', { scope: 'row' }, el('span', { class: 'scenario-id' }, scenario), titleOf(scenario) ? el('span', { class: 'scenario-title' }, titleOf(scenario)) : null),
                variants.map((variant) => {
                  const r = find(scenario, variant);
                  if (!r) return el('td', { 'data-variant': variant }, el('span', { class: 'verdict verdict-none' }, 'not run'));
                  return el(
                    'td',
                    { 'data-variant': variant, 'data-verdict': r.verdict },
                    el('span', { class: `verdict verdict-${String(r.verdict).toLowerCase()}`, title: VERDICT_NOTES[r.verdict] || '' }, r.verdict),
                    el('span', { class: 'reason' }, r.reason),
                  );
                }),
              ),
            ),
          ),
        ),
      ),
    );

    // Query counts as the data grows: one chart per scenario and scaling table.
    const scalingCharts = [];
    for (const scenario of scenarios) {
      const titles = unique(variants.flatMap((v) => ((find(scenario, v) || {}).evidence || {}).scaling || []).map((s) => s.title));
      for (const title of titles) {
        const perVariant = variants
          .map((v) => ({ variant: v, scaling: (((find(scenario, v) || {}).evidence || {}).scaling || []).find((s) => s.title === title) }))
          .filter((x) => x.scaling);
        const labels = unique(perVariant.flatMap((x) => x.scaling.points.map((p) => p.label || String(p.size))));
        const groups = labels.map((label) => ({
          label,
          bars: perVariant
            .map((x) => ({ series: x.variant, point: x.scaling.points.find((p) => (p.label || String(p.size)) === label) }))
            .filter((b) => b.point)
            .map((b) => ({ series: b.series, value: b.point.queries })),
        }));
        scalingCharts.push(barChart({ title: `${scenario}: ${title}`, unit: 'SQL queries per request', groups, series: perVariant.map((x) => x.variant) }));
      }
    }
    if (scalingCharts.length) {
      nodes.push(el('h3', {}, 'Query counts as the data grows'), el('div', { class: 'charts', id: 'scaling-charts' }, scalingCharts));
    }

    // Latency under load: the median round's p50 and p99 per variant.
    const loadCharts = [];
    for (const scenario of scenarios) {
      const labels = unique(variants.flatMap((v) => ((find(scenario, v) || {}).evidence || {}).load || []).map((l) => l.label));
      for (const label of labels) {
        const groups = variants
          .map((v) => ({ variant: v, load: (((find(scenario, v) || {}).evidence || {}).load || []).find((l) => l.label === label) }))
          .filter((x) => x.load && x.load.median)
          .map((x) => ({
            label: `${x.variant}${x.load.size ? ` (${x.load.size})` : ''}`,
            bars: [
              { series: 'p50', value: x.load.median.p50 },
              { series: 'p99', value: x.load.median.p99 },
            ],
          }));
        if (groups.length) {
          loadCharts.push(barChart({ title: `${scenario}: ${label}`, unit: 'ms latency', groups, series: ['p50', 'p99'], format: (v) => (v >= 100 ? String(Math.round(v)) : Number(v).toFixed(1)) }));
        }
      }
    }
    if (loadCharts.length) {
      nodes.push(el('h3', {}, 'Latency under load'), el('div', { class: 'charts', id: 'load-charts' }, loadCharts));
    }
    return nodes;
  }

  async function loadReport(result) {
    const res = await call('GET', '/reports/latest.json', { tenant: false });
    if (res.status === 404) {
      const said = res.data && res.data.message ? res.data.message : 'No report found.';
      return show(result, message('info', said.replace(/\.?$/, '.'), 'report-missing'));
    }
    if (!res.ok || !res.data || typeof res.data !== 'object') return show(result, message('error', failure(res, 'Loading the report'), 'report-error'));
    show(result, renderReport(res.data, res.headers.get('x-report-file')));
  }

  action($('report-button'), $('report-result'), loadReport);

  // ---------------------------------------------------------------- start

  loadHealth();
  $('report-button').click();
})();
