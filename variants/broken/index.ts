// The code as it shipped: each bug carries an `exposed-by: <scenario>` tag naming the scenario that shows it.
import type { Variant } from '../contract';
import { createCustomerCatalog, createHealthCheck, createProductCatalog } from '../shared/catalog';
import { createTenantRepository } from '../shared/tenants';
import { createAnalytics } from './analytics';
import { customerOrders } from './customer-orders';
import { createOrderFlows } from './order-flows';
import { createOrderRepository } from './orders';
import { createDevTools } from './seed';

const variant: Variant = (knex) => ({
  tenants: createTenantRepository(knex),
  customers: { ...createCustomerCatalog(knex), ordersOf: (tenant, id) => customerOrders(knex, tenant, id) },
  products: createProductCatalog(knex),
  orders: createOrderRepository(knex),
  orderFlows: createOrderFlows(knex),
  analytics: createAnalytics(knex),
  dev: createDevTools(knex),
  health: createHealthCheck(knex),
});

export default variant;
