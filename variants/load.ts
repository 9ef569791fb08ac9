// Turns --variant <name>|<path> into a Variant, checking what it exports, so a candidate's
// folder that is wrong fails with a sentence rather than a stack trace.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Repositories, Variant } from './contract';

/** Every folder of variants/ with an index.ts, except the shared code. */
export const BUILT_IN_VARIANTS: readonly string[] = readdirSync(__dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'shared' && existsSync(join(__dirname, entry.name, 'index.ts')))
  .map((entry) => entry.name)
  .sort();

const REQUIRED: (keyof Repositories)[] = ['tenants', 'customers', 'products', 'orders', 'orderFlows', 'analytics', 'dev', 'health'];

export class VariantLoadError extends Error {}

export function variantPath(name: string): string {
  if (BUILT_IN_VARIANTS.includes(name)) return resolve(__dirname, name);
  const path = resolve(name);
  if (!existsSync(path)) {
    throw new VariantLoadError(`unknown variant "${name}": use ${BUILT_IN_VARIANTS.join(', ')} or the path of a variant folder`);
  }
  return path;
}

export function loadVariant(name: string): Variant {
  const path = variantPath(name);
  let loaded: { default?: unknown };
  try {
    loaded = require(path);
  } catch (err) {
    throw new VariantLoadError(`variant "${name}" failed to load: ${(err as Error).message}`);
  }
  const factory = loaded.default ?? loaded;
  if (typeof factory !== 'function') {
    throw new VariantLoadError(`variant "${name}" must default-export a function (knex) => Repositories`);
  }
  return (knex) => {
    const repositories = (factory as Variant)(knex);
    const missing = REQUIRED.filter((key) => typeof repositories?.[key] !== 'object');
    if (missing.length) throw new VariantLoadError(`variant "${name}" does not provide: ${missing.join(', ')}`);
    return repositories;
  };
}
