// The HTTP contract's happy paths, the same on both variants: shops, customers, products, orders.
import { expect } from 'chai';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { linesTotal, listAll, makeShop } from '../helpers/factories';

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('API', () => {
      const t = useApp(backend, variant);

      it('GET /health answers ok with the variant, the backend and dev mode', async () => {
        const response = await t().app.inject({ url: '/health' });
        expect(response.statusCode).to.equal(200);
        expect(response.json()).to.deep.equal({ status: 'ok', variant, backend, dev: true });
      });

      it('creates a shop once (201, then 409) and reads it back', async () => {
        const id = `api-shop-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
        const created = await t().app.inject({ method: 'POST', url: '/tenants', payload: { id, name: 'Corner Shop' } });
        expect(created.statusCode).to.equal(201);
        expect(created.json()).to.include({ id, name: 'Corner Shop' });
        expect(Date.parse(created.json().createdAt)).to.be.closeTo(Date.now(), 60_000);
        const again = await t().app.inject({ method: 'POST', url: '/tenants', payload: { id, name: 'Other' } });
        expect(again.statusCode).to.equal(409);
        expect(again.json()).to.include({ statusCode: 409, error: 'Conflict' });
        expect((await t().app.inject({ url: `/tenants/${id}` })).json()).to.deep.equal(created.json());
      });

      it('creates customers, reads one by id and pages through them', async () => {
        const shop = await makeShop(t().app);
        const created = [];
        for (let i = 0; i < 5; i += 1) {
          const response = await shop.request('POST', '/api/customers', { name: `Person ${i}`, email: `Person.${i}@Example.COM`, ...(i === 3 ? { isActive: false } : {}) });
          expect(response.statusCode).to.equal(201);
          created.push(response.json());
        }
        created.forEach((c, i) => {
          expect(c).to.include({ name: `Person ${i}`, email: `person.${i}@example.com`, isActive: i !== 3 });
          expect(c.id).to.be.a('number');
        });
        expect(await shop.ok('GET', `/api/customers/${created[2].id}`)).to.deep.equal(created[2]);

        const byDefault = await shop.ok('GET', '/api/customers');
        expect(byDefault).to.deep.equal({ count: 5, page: 1, pageSize: 20, results: created });
        const page2 = await shop.ok('GET', '/api/customers?page=2&pageSize=2');
        expect(page2).to.deep.equal({ count: 5, page: 2, pageSize: 2, results: created.slice(2, 4) });
        const page3 = await shop.ok('GET', '/api/customers?page=3&pageSize=2');
        expect(page3.results).to.deep.equal(created.slice(4));
        const beyond = await shop.ok('GET', '/api/customers?page=9&pageSize=2');
        expect(beyond).to.deep.equal({ count: 5, page: 9, pageSize: 2, results: [] });
      });

      it('refuses a duplicate customer email in the same shop (409), case-insensitively, but not in another shop', async () => {
        const shop = await makeShop(t().app);
        const other = await makeShop(t().app);
        await shop.customer({ email: 'dup@example.com' });
        const duplicate = await shop.request('POST', '/api/customers', { name: 'Again', email: 'DUP@example.com' });
        expect(duplicate.statusCode).to.equal(409);
        expect(duplicate.json()).to.include({ statusCode: 409, error: 'Conflict' });
        expect(duplicate.json().message).to.contain('dup@example.com');
        expect((await shop.ok('GET', '/api/customers')).count).to.equal(1);
        expect((await other.request('POST', '/api/customers', { name: 'Same', email: 'dup@example.com' })).statusCode).to.equal(201);
      });

      it('creates products, changes a price with PATCH, and refuses a duplicate sku (409)', async () => {
        const shop = await makeShop(t().app);
        const created = await shop.request('POST', '/api/products', { sku: 'MUG', name: 'Mug', priceCents: 1250 });
        expect(created.statusCode).to.equal(201);
        const mug = created.json();
        expect(mug).to.include({ sku: 'MUG', name: 'Mug', priceCents: 1250, stock: null, available: true });
        const stocked = await shop.product({ sku: 'CUP', priceCents: 300, stock: 7 });
        expect(stocked).to.include({ sku: 'CUP', priceCents: 300, stock: 7 });

        const patched = await shop.ok('PATCH', `/api/products/${mug.id}`, { priceCents: 1399 });
        expect(patched).to.deep.equal({ ...mug, priceCents: 1399 });
        expect(await shop.ok('GET', `/api/products/${mug.id}`)).to.deep.equal(patched);
        const renamed = await shop.ok('PATCH', `/api/products/${mug.id}`, { name: 'Big mug', stock: 3, available: false });
        expect(renamed).to.deep.equal({ ...patched, name: 'Big mug', stock: 3, available: false });

        const duplicate = await shop.request('POST', '/api/products', { sku: 'MUG', name: 'Other', priceCents: 1 });
        expect(duplicate.statusCode).to.equal(409);
        const list = await shop.ok('GET', '/api/products');
        expect(list.count).to.equal(2);
        expect(list.results.map((p: { sku: string }) => p.sku)).to.deep.equal(['MUG', 'CUP']);
      });

      it('places an order with the price snapshotted on its items, kept when the price later changes', async () => {
        const shop = await makeShop(t().app);
        const pen = await shop.product({ priceCents: 150, stock: 20 });
        const pad = await shop.product({ priceCents: 420 });
        const customer = await shop.customer();
        const response = await shop.request('POST', '/api/orders', {
          customerId: customer.id,
          items: [{ productId: pen.id, quantity: 3 }, { productId: pad.id, quantity: 2 }],
        });
        expect(response.statusCode).to.equal(201);
        const order = response.json();
        expect(order).to.include({ customerId: customer.id, customerEmail: customer.email, status: 'paid', isArchived: false, deletedAt: null });
        expect(order.items.map((i: any) => [i.productId, i.sku, i.quantity, i.unitPriceCents])).to.deep.equal([
          [pen.id, pen.sku, 3, 150],
          [pad.id, pad.sku, 2, 420],
        ]);
        expect(order.totalCents).to.equal(3 * 150 + 2 * 420);
        expect((await shop.ok('GET', `/api/products/${pen.id}`)).stock).to.equal(20 - 3);

        await shop.ok('PATCH', `/api/products/${pen.id}`, { priceCents: 999 });
        const reread = await shop.ok('GET', `/api/orders/${order.id}`);
        expect(reread.items).to.deep.equal(order.items);
        expect(reread.totalCents).to.equal(order.totalCents);
        const later = await shop.order(customer.id, [{ productId: pen.id, quantity: 1 }], 'draft');
        expect(later).to.include({ status: 'draft', totalCents: 999 });
        expect(later.items[0].unitPriceCents).to.equal(999);
        expect(later.totalCents).to.equal(linesTotal(later.items));
      });

      it('pages through orders newest first with count, page and pageSize', async () => {
        const shop = await makeShop(t().app);
        const product = await shop.product();
        const customer = await shop.customer();
        const placed = [];
        for (let i = 0; i < 5; i += 1) placed.push(await shop.order(customer.id, [{ productId: product.id, quantity: i + 1 }]));
        const newestFirst = placed.map((o) => o.id).reverse();
        const page = await shop.ok('GET', '/api/orders?page=2&pageSize=2');
        expect(page).to.include({ count: 5, page: 2, pageSize: 2 });
        expect(page.results.map((o: { id: number }) => o.id)).to.deep.equal(newestFirst.slice(2, 4));
        expect((await listAll(shop, '/api/orders')).map((o) => o.id)).to.deep.equal(newestFirst);
      });

      it('archives an order: hidden from lists, still readable by id', async () => {
        const shop = await makeShop(t().app);
        const product = await shop.product();
        const customer = await shop.customer();
        const archived = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }]);
        const kept = await shop.order(customer.id, [{ productId: product.id, quantity: 2 }]);
        const response = await shop.request('POST', `/api/orders/${archived.id}/archive`);
        expect(response.statusCode).to.equal(200);
        expect(response.json()).to.include({ id: archived.id, isArchived: true, status: archived.status });
        expect(response.json().items).to.deep.equal(archived.items);

        const list = await shop.ok('GET', '/api/orders');
        expect(list.count).to.equal(1);
        expect(list.results.map((o: { id: number }) => o.id)).to.deep.equal([kept.id]);
        expect((await shop.ok('GET', `/api/customers/${customer.id}/orders`)).map((o: { id: number }) => o.id)).to.deep.equal([kept.id]);
        const byId = await shop.ok('GET', `/api/orders/${archived.id}`);
        expect(byId).to.include({ id: archived.id, isArchived: true });
        expect(byId.items).to.deep.equal(archived.items);
        // Archived orders leave the summary too.
        const { rows } = await shop.ok('GET', '/api/orders/summary');
        expect(rows).to.deep.equal([{ customerId: customer.id, email: customer.email, orderCount: 1, totalCents: kept.totalCents }]);
      });

      it('refuses to sell an unavailable product (409) until it is made available again', async () => {
        const shop = await makeShop(t().app);
        const product = await shop.product({ available: false });
        const customer = await shop.customer();
        const refused = await shop.request('POST', '/api/orders', { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] });
        expect(refused.statusCode).to.equal(409);
        expect(refused.json().message).to.contain(product.sku);
        await shop.ok('PATCH', `/api/products/${product.id}`, { available: true });
        expect((await shop.order(customer.id, [{ productId: product.id, quantity: 1 }])).items).to.have.length(1);
      });

      it('answers GET /api/ping with ok', async () => {
        const shop = await makeShop(t().app);
        expect(await shop.ok('GET', '/api/ping')).to.deep.equal({ ok: true });
      });
    });
  });
});
