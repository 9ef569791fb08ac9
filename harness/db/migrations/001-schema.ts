// The one schema every variant shares. Foreign keys cascade as the original lab's did
// (customer -> orders -> items), so a wrong delete really destroys data.
import type { Knex } from 'knex';

// knex renders `defaultTo(true)` as '1', which pg-mem stores as the string "1".
const TRUE = (knex: Knex) => knex.raw('true');
const FALSE = (knex: Knex) => knex.raw('false');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.string('id', 64).primary();
    t.string('name', 120).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('customers', (t) => {
    t.increments('id');
    t.string('tenant_id', 64).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.string('email', 254).notNullable();
    t.boolean('is_active').notNullable().defaultTo(TRUE(knex));
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'email']);
  });

  await knex.schema.createTable('products', (t) => {
    t.increments('id');
    t.string('tenant_id', 64).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('sku', 64).notNullable();
    t.string('name', 120).notNullable();
    t.integer('price_cents').notNullable();
    // No CHECK (stock >= 0): code that sells more than the stock holds must be able to drive it
    // negative, where the evidence can show it.
    t.integer('stock').nullable();
    t.boolean('available').notNullable().defaultTo(TRUE(knex));
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'sku']);
  });

  await knex.schema.createTable('orders', (t) => {
    t.increments('id');
    t.string('tenant_id', 64).notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('customer_id').notNullable().references('customers.id').onDelete('CASCADE');
    t.string('status', 16).notNullable().defaultTo('draft');
    t.integer('total_cents').notNullable().defaultTo(0);
    t.boolean('is_archived').notNullable().defaultTo(FALSE(knex));
    t.timestamp('deleted_at', { useTz: true }).nullable();
    t.timestamp('notification_sent_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'created_at']);
    t.index(['customer_id']);
  });

  await knex.schema.createTable('order_items', (t) => {
    t.increments('id');
    t.integer('order_id').notNullable().references('orders.id').onDelete('CASCADE');
    t.integer('product_id').notNullable().references('products.id').onDelete('CASCADE');
    t.string('sku', 64).notNullable();
    t.integer('quantity').notNullable();
    t.integer('unit_price_cents').notNullable();
    t.index(['order_id']);
  });

  // The mail provider's outbox: what was really sent. No foreign key on order_id, so a
  // confirmation sent for an order that was then rolled back (or deleted) stays visible.
  await knex.schema.createTable('sent_notifications', (t) => {
    t.increments('id');
    t.string('tenant_id', 64).notNullable();
    t.integer('order_id').notNullable();
    t.string('kind', 32).notNullable();
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'order_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['sent_notifications', 'order_items', 'orders', 'products', 'customers', 'tenants']) {
    await knex.schema.dropTableIfExists(table);
  }
}
