import { TEXT_LIMITS } from '../../variants/contract';
import { errors, idParams, pageOf, pageQuery, timestamp } from './common';
import { order } from './orders';

export const customer = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    email: { type: 'string' },
    isActive: { type: 'boolean' },
    createdAt: timestamp,
  },
  required: ['id', 'name', 'email', 'isActive', 'createdAt'],
} as const;

export const listCustomers = { querystring: pageQuery, response: { 200: pageOf(customer), ...errors } } as const;
export const getCustomer = { params: idParams, response: { 200: customer, ...errors } } as const;
export const customerOrders = {
  params: idParams,
  response: { 200: { type: 'array', items: order }, ...errors },
} as const;
export const createCustomer = {
  body: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxUnits: TEXT_LIMITS.customerName },
      email: { type: 'string', minLength: 3, maxUnits: TEXT_LIMITS.email, pattern: '^[^@\\s]+@[^@\\s]+$' },
      isActive: { type: 'boolean' },
    },
    required: ['name', 'email'],
    additionalProperties: false,
  },
  response: { 201: customer, ...errors },
} as const;
