// Preloaded (node -r) into a service process that runs a candidate's code: a package the
// candidate's files import (`knex`, `pg`) is the lab's own, whatever node_modules the submission
// came with or without, so what is reviewed is the code as sent, on the lab's versions. Relative
// imports (`../contract`) still resolve inside the submission.
import Module from 'node:module';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readEnvironment } from './settings';

const LAB_ROOT = resolve(__dirname, '..');

interface ResolvingModule {
  filename?: string | null;
}

type ResolveFilename = (request: string, parent: ResolvingModule | undefined, isMain: boolean, options?: unknown) => string;

/** What the lab provides: the packages its package.json declares, each with its own subpaths. */
export function labPackages(root = LAB_ROOT): Set<string> {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  return new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
}

/** 'knex' for 'knex', '@scope/name' for '@scope/name/sub', undefined for relative, absolute and '#' imports. */
export function packageName(request: string): string | undefined {
  if (request.startsWith('.') || request.startsWith('#') || isAbsolute(request)) return undefined;
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export class MissingPackageError extends Error {
  readonly code = 'MODULE_NOT_FOUND';
}

function isInside(file: string, root: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Redirects bare imports from files under `codeRoot` to the lab's node_modules. */
export function resolveFromLab(codeRoot: string): void {
  const moduleApi = Module as unknown as { _resolveFilename: ResolveFilename; _nodeModulePaths(dir: string): string[]; isBuiltin(name: string): boolean };
  const original = moduleApi._resolveFilename;
  const provided = labPackages();
  // A stand-in importer at the lab's root: Node looks a bare name up from its paths.
  const labImporter = Object.assign(new Module(join(LAB_ROOT, 'package.json')), {
    filename: join(LAB_ROOT, 'package.json'),
    paths: moduleApi._nodeModulePaths(LAB_ROOT),
  });
  moduleApi._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const name = packageName(request);
    const fromCandidate = parent?.filename ? isInside(parent.filename, codeRoot) : false;
    if (!fromCandidate || name === undefined || moduleApi.isBuiltin(request)) return original.call(this, request, parent, isMain, options);
    const where = relative(codeRoot, parent!.filename!).split(sep).join('/');
    if (!provided.has(name)) throw new MissingPackageError(`the candidate's code (${where}) imports '${name}', which the lab does not provide`);
    return original.call(this, request, labImporter, isMain, options);
  };
}

const { codeRoot } = readEnvironment();
if (codeRoot) resolveFromLab(resolve(codeRoot));
