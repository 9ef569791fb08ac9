import { errorBody, errors } from './common';

export const seed = {
  body: {
    type: 'object',
    properties: {
      customers: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      ordersPerCustomer: { type: 'integer', minimum: 0, maximum: 50, default: 5 },
      itemsPerOrder: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
      seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    },
    additionalProperties: false,
  },
  response: {
    201: {
      type: 'object',
      properties: {
        customers: { type: 'integer' },
        orders: { type: 'integer' },
        items: { type: 'integer' },
        products: { type: 'integer' },
      },
      required: ['customers', 'orders', 'items', 'products'],
    },
    403: errorBody,
    ...errors,
  },
} as const;
