import { expect } from 'chai';
import { forEachBackend, forEachVariant, useApp } from '../helpers/matrix';
import { makeShop } from '../helpers/factories';

forEachBackend((backend) => {
  forEachVariant((variant) => {
    describe('X-Tenant-ID', () => {
      const t = useApp(backend, variant);

      it('answers 400 with a JSON error when the header is missing', async () => {
        const response = await t().app.inject({ url: '/api/customers' });
        expect(response.statusCode).to.equal(400);
        expect(response.json()).to.include({ statusCode: 400, message: 'X-Tenant-ID header is required' });
      });

      it('answers 404 with a JSON error for an unknown tenant', async () => {
        const response = await t().app.inject({ url: '/api/customers', headers: { 'x-tenant-id': 'no-such-shop' } });
        expect(response.statusCode).to.equal(404);
        expect(response.json().message).to.equal('unknown tenant "no-such-shop"');
      });

      it('never lists another shop\'s customers', async () => {
        const a = await makeShop(t().app, 'a');
        const b = await makeShop(t().app, 'b');
        await a.customer({ email: 'only-in-a@example.com' });
        const list = await b.ok('GET', '/api/customers');
        expect(list.count).to.equal(0);
      });
    });
  });
});
