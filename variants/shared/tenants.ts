import type { Knex } from 'knex';
import { ConflictError, type TenantRepository } from '../contract';
import { toTenant } from './rows';
import { insertOrConflict } from './unique-violation';

export function createTenantRepository(knex: Knex): TenantRepository {
  return {
    async create({ id, name }) {
      const [row] = await insertOrConflict(
        () => knex('tenants').insert({ id, name }).returning('*'),
        () => new ConflictError(`tenant "${id}" already exists`),
      );
      return toTenant(row);
    },
    async get(id) {
      const row = await knex('tenants').where({ id }).first();
      return row ? toTenant(row) : null;
    },
  };
}
