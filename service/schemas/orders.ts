import { ORDER_LIMITS } from '../../variants/contract';
import { errors, id, idParams, nullableTimestamp, pageOf, pageQuery, timestamp } from './common';

export const orderItem = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    productId: { type: 'integer' },
    sku: { type: 'string' },
    quantity: { type: 'integer' },
    unitPriceCents: { type: 'integer' },
  },
  required: ['id', 'productId', 'sku', 'quantity', 'unitPriceCents'],
} as const;

export const order = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    customerId: { type: 'integer' },
    customerEmail: { type: 'string' },
    status: { type: 'string' },
    totalCents: { type: 'integer' },
    isArchived: { type: 'boolean' },
    deletedAt: nullableTimestamp,
    notificationSentAt: nullableTimestamp,
    createdAt: timestamp,
    updatedAt: timestamp,
    items: { type: 'array', items: orderItem },
  },
  required: ['id', 'customerId', 'customerEmail', 'status', 'totalCents', 'isArchived', 'deletedAt', 'notificationSentAt', 'createdAt', 'updatedAt', 'items'],
} as const;

export const listOrders = {
  querystring: {
    ...pageQuery,
    properties: {
      ...pageQuery.properties,
      // Deliberately a plain string: whether an unknown status is rejected is the variant's call.
      status: { type: 'string', maxLength: 64 },
      email: { type: 'string', minLength: 1, maxLength: 254 },
    },
  },
  response: { 200: pageOf(order), ...errors },
} as const;

export const orderById = { params: idParams, response: { 200: order, ...errors } } as const;
export const deleteOrder = { params: idParams, response: { 204: { type: 'null' }, ...errors } } as const;

export const placeOrder = {
  body: {
    type: 'object',
    properties: {
      customerId: id,
      status: { type: 'string', enum: ['draft', 'paid'] },
      items: {
        type: 'array',
        minItems: 1,
        maxItems: ORDER_LIMITS.maxLines,
        items: {
          type: 'object',
          properties: {
            productId: id,
            quantity: { type: 'integer', minimum: 1, maximum: ORDER_LIMITS.maxQuantity },
          },
          required: ['productId', 'quantity'],
          additionalProperties: false,
        },
      },
    },
    required: ['customerId', 'items'],
    additionalProperties: false,
  },
  response: { 201: order, ...errors },
} as const;

export const summary = {
  querystring: {
    type: 'object',
    properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      properties: {
        limit: { type: 'integer' },
        rows: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              customerId: { type: 'integer' },
              email: { type: 'string' },
              orderCount: { type: 'integer' },
              totalCents: { type: 'integer' },
            },
            required: ['customerId', 'email', 'orderCount', 'totalCents'],
          },
        },
      },
      required: ['limit', 'rows'],
    },
    ...errors,
  },
} as const;
