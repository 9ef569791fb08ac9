import { errors } from './common';

export const analytics = {
  response: {
    200: {
      type: 'object',
      properties: {
        totalOrders: { type: 'integer' },
        totalRevenue: { type: 'integer' },
        topItems: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              productId: { type: 'integer' },
              sku: { type: 'string' },
              name: { type: 'string' },
              quantity: { type: 'integer' },
              revenue: { type: 'integer' },
            },
            required: ['productId', 'sku', 'name', 'quantity', 'revenue'],
          },
        },
        ordersByDay: {
          type: 'array',
          items: {
            type: 'object',
            properties: { date: { type: 'string' }, count: { type: 'integer' }, revenue: { type: 'integer' } },
            required: ['date', 'count', 'revenue'],
          },
        },
      },
      required: ['totalOrders', 'totalRevenue', 'topItems', 'ordersByDay'],
    },
    ...errors,
  },
} as const;
