// The scenarios in the order a run takes them. Each file is one incident's repro steps.
import type { Scenario } from '../harness/scenario';
import analyticsLoad from './analytics-load';
import cancelRegression from './cancel-regression';
import concurrentOversell from './concurrent-oversell';
import customerOrders from './customer-orders';
import filters from './filters';
import notification from './notification';
import seedBulk from './seed-bulk';
import softDelete from './soft-delete';
import summaryNPlusOne from './summary-n-plus-one';
import tenantIsolation from './tenant-isolation';

export const SCENARIOS: Scenario[] = [
  cancelRegression,
  filters,
  concurrentOversell,
  analyticsLoad,
  summaryNPlusOne,
  notification,
  seedBulk,
  customerOrders,
  softDelete,
  tenantIsolation,
];
