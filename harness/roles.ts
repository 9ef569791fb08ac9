// Which variant is which, as data. A run names variants; the lab's configuration says what role each
// one plays (the original code, a candidate's, the reference it is compared with) and how reports
// label it, and one function says which verdicts each role is expected to give. The run's exit code,
// the review's baseline checks and the tests ask here, so the policy is written once, and a copy of
// the lab that describes its variants differently needs a different configuration, not other code.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendName } from './db/backends';
import type { Verdict } from './scenario';

export const ROLES = ['original', 'candidate', 'reference'] as const;

/**
 * original: the code as it shipped, which shows every public scenario's symptom; candidate: code
 * under test, which should pass; reference: code known to pass, to compare a candidate with.
 */
export type Role = (typeof ROLES)[number];

/** One value per variant: what a run passes as --variant (id), what reports call it, its role and its folder. */
export interface VariantRef {
  id: string;
  label: string;
  role: Role;
  /** The variant's folder, relative to the repository. */
  path: string;
}

export interface LabConfig {
  /** In the order a side-by-side run takes them. */
  variants: VariantRef[];
}

/** Where the configuration sits, relative to the repository. */
export const CONFIG_PATH = 'variants/variants.json';

export class ConfigError extends Error {}

export function parseLabConfig(text: string, source = CONFIG_PATH): LabConfig {
  const parsed = JSON.parse(text) as Partial<LabConfig>;
  const variants = Array.isArray(parsed.variants) ? parsed.variants : [];
  if (variants.length === 0) throw new ConfigError(`${source} names no variant`);
  for (const v of variants) {
    const complete = ['id', 'label', 'path'].every((key) => typeof (v as unknown as Record<string, unknown>)[key] === 'string');
    if (!complete || !(ROLES as readonly string[]).includes(v.role)) {
      throw new ConfigError(`${source}: every variant needs an id, a label, a path and a role of ${ROLES.join(', ')} (got ${JSON.stringify(v)})`);
    }
  }
  return { variants };
}

/** This repository's configuration, read when the module loads: a file that does not change while the lab runs. */
const LAB_CONFIG = parseLabConfig(readFileSync(join(resolve(__dirname, '..'), CONFIG_PATH), 'utf8'));

export function labConfig(): LabConfig {
  return LAB_CONFIG;
}

/** The configured variant with a role, if there is one. */
export function variantWithRole(role: Role, config: LabConfig = labConfig()): VariantRef | undefined {
  return config.variants.find((v) => v.role === role);
}

/** The configured variant with a role, for tools that cannot work without it (the lab's own, never an export's). */
export function labVariant(role: Role, config: LabConfig = labConfig()): VariantRef {
  const variant = variantWithRole(role, config);
  if (!variant) throw new ConfigError(`${CONFIG_PATH} names no variant in the ${role} role`);
  return variant;
}

/** What a run serves when told nothing: the original code where there is one, else the first variant configured. */
export function defaultVariant(config: LabConfig = labConfig()): VariantRef {
  return variantWithRole('original', config) ?? config.variants[0]!;
}

/** The original and the reference, the before and after a report compares, when both are configured. */
export function baselinePair(config: LabConfig = labConfig()): [string, string] | undefined {
  const [before, after] = [variantWithRole('original', config), variantWithRole('reference', config)];
  return before && after ? [before.id, after.id] : undefined;
}

/**
 * The role a variant plays in a run. Side by side, the configured variants play theirs and any other
 * folder is a candidate; run alone, whatever runs is the code under test, so it is judged as a candidate.
 */
export function roleInRun(variant: string, variantsInRun: readonly string[], config: LabConfig = labConfig()): Role {
  if (variantsInRun.length <= 1) return 'candidate';
  return config.variants.find((v) => v.id === variant)?.role ?? 'candidate';
}

const ALL_VERDICTS: readonly Verdict[] = ['PASS', 'FAIL', 'INCONCLUSIVE', 'ERROR', 'TIMEOUT'];

/**
 * The verdicts a role is expected to give on a scenario. The original must FAIL a scenario that
 * reproduces one of its bugs, and may give anything on a check of behaviour any correct change
 * keeps; a candidate and the reference must PASS. INCONCLUSIVE is acceptable on pg-mem only, the one
 * backend that cannot show some results; anywhere else it means the scenario could not decide.
 */
export function expectedVerdicts(role: Role, backend: BackendName, scenario: { reproducesBug?: boolean } = {}): readonly Verdict[] {
  if (role === 'original') return scenario.reproducesBug === false ? ALL_VERDICTS : ['FAIL'];
  return backend === 'pg-mem' ? ['PASS', 'INCONCLUSIVE'] : ['PASS'];
}

export function isExpectedVerdict(role: Role, verdict: Verdict, backend: BackendName, scenario: { reproducesBug?: boolean } = {}): boolean {
  return expectedVerdicts(role, backend, scenario).includes(verdict);
}
