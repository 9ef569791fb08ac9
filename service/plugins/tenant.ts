// Every /api request names its shop in X-Tenant-ID; nothing below this hook runs without one.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, type TenantId } from '../../variants/contract';
import { TENANT_ID_PATTERN } from '../shared/tenant-id';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: TenantId;
  }
}

// The schemas take the pattern from here; the page from service/shared, which has no Fastify in it.
export { TENANT_ID_PATTERN };
const tenantIdPattern = new RegExp(TENANT_ID_PATTERN);

/** Adds the tenant check to every route of `scope` (the /api prefix). */
export function requireTenant(scope: FastifyInstance): void {
  // Tenants are never deleted, so a tenant seen once is known for the life of the app.
  const known = new Set<TenantId>();
  scope.decorateRequest('tenant', '');
  scope.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers['x-tenant-id'];
    if (header === undefined || header === '') {
      throw new DomainError(400, 'X-Tenant-ID header is required');
    }
    if (typeof header !== 'string' || !tenantIdPattern.test(header)) {
      throw new DomainError(400, `X-Tenant-ID must match ${TENANT_ID_PATTERN}`);
    }
    if (!known.has(header)) {
      if (!(await scope.repositories.tenants.get(header))) {
        throw new DomainError(404, `unknown tenant "${header}"`);
      }
      known.add(header);
    }
    request.tenant = header;
  });
}
