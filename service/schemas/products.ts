import { ORDER_LIMITS, TEXT_LIMITS } from '../../variants/contract';
import { errors, idParams, pageOf, pageQuery, timestamp } from './common';

export const product = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    sku: { type: 'string' },
    name: { type: 'string' },
    priceCents: { type: 'integer' },
    stock: { type: ['integer', 'null'] },
    available: { type: 'boolean' },
    createdAt: timestamp,
  },
  required: ['id', 'sku', 'name', 'priceCents', 'stock', 'available', 'createdAt'],
} as const;

const priceCents = { type: 'integer', minimum: 0, maximum: ORDER_LIMITS.maxPriceCents } as const;
const name = { type: 'string', minLength: 1, maxUnits: TEXT_LIMITS.productName } as const;
const stock = { type: ['integer', 'null'], minimum: 0, maximum: 1_000_000_000 } as const;

export const listProducts = { querystring: pageQuery, response: { 200: pageOf(product), ...errors } } as const;
export const getProduct = { params: idParams, response: { 200: product, ...errors } } as const;
export const createProduct = {
  body: {
    type: 'object',
    properties: {
      sku: { type: 'string', minLength: 1, maxUnits: TEXT_LIMITS.sku },
      name,
      priceCents,
      stock,
      available: { type: 'boolean' },
    },
    required: ['sku', 'name', 'priceCents'],
    additionalProperties: false,
  },
  response: { 201: product, ...errors },
} as const;
export const updateProduct = {
  params: idParams,
  body: {
    type: 'object',
    properties: { name, priceCents, stock, available: { type: 'boolean' } },
    minProperties: 1,
    additionalProperties: false,
  },
  response: { 200: product, ...errors },
} as const;
