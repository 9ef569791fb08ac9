// Schema pieces every resource shares. Response schemas also make Fastify serialize faster.
import { INT4_MAX } from '../../variants/contract';

/** A row id: the columns are PostgreSQL int4. */
export const id = { type: 'integer', minimum: 1, maximum: INT4_MAX } as const;
export const errorBody = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['statusCode', 'error', 'message'],
} as const;

export const errors = { 400: errorBody, 404: errorBody, 409: errorBody } as const;

export const idParams = {
  type: 'object',
  properties: { id },
  required: ['id'],
  additionalProperties: false,
} as const;

export const pageQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
  additionalProperties: false,
} as const;

export const timestamp = { type: 'string', format: 'date-time' } as const;
export const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

/** A page of `item`s; generic (and `const`) so the page's type keeps the item's schema literally. */
export function pageOf<const Item extends object>(item: Item) {
  return {
    type: 'object',
    properties: {
      count: { type: 'integer' },
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      results: { type: 'array', items: item },
    },
    required: ['count', 'page', 'pageSize', 'results'],
  } as const;
}
