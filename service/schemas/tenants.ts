import { TEXT_LIMITS } from '../../variants/contract';
import { TENANT_ID_PATTERN } from '../plugins/tenant';
import { errors, timestamp } from './common';

export const tenant = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: timestamp },
  required: ['id', 'name', 'createdAt'],
} as const;

export const createTenant = {
  body: {
    type: 'object',
    properties: {
      id: { type: 'string', pattern: TENANT_ID_PATTERN },
      name: { type: 'string', minLength: 1, maxUnits: TEXT_LIMITS.tenantName },
    },
    required: ['id', 'name'],
    additionalProperties: false,
  },
  response: { 201: tenant, ...errors },
} as const;

export const getTenant = {
  params: { type: 'object', properties: { id: { type: 'string', pattern: TENANT_ID_PATTERN } }, required: ['id'] },
  response: { 200: tenant, ...errors },
} as const;
