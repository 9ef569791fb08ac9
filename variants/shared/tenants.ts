import type { Knex } from 'knex';
import { ConflictError, type TenantRepository } from '../contract';
import { toTenant } from './rows';

export function createTenantRepository(knex: Knex): TenantRepository {
  return {
    async create({ id, name }) {
      const existing = await knex('tenants').where({ id }).first();
      if (existing) throw new ConflictError(`tenant "${id}" already exists`);
      const [row] = await knex('tenants').insert({ id, name }).returning('*');
      return toTenant(row);
    },
    async get(id) {
      const row = await knex('tenants').where({ id }).first();
      return row ? toTenant(row) : null;
    },
  };
}
