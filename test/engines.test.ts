// package.json's `engines.node` is a promise: every Node it admits runs every installed package.
// npm only warns (EBADENGINE) when a dependency asks for a newer Node, so this test is what
// notices a dependency update, or a new dependency, that quietly moves the floor.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';

const ROOT = resolve(__dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(resolve(ROOT, file), 'utf8'));

interface LockEntry {
  version?: string;
  engines?: Record<string, string> | string[];
}

/** A lockfile entry's node range: `engines` is an object, or in a few old packages a list like ["node >=0.6"]. */
function nodeRange(entry: LockEntry): string | undefined {
  const { engines } = entry;
  if (Array.isArray(engines)) return engines.find((spec) => /^node\b/.test(spec))?.replace(/^node\s*/, '');
  return engines?.node;
}

/** Every installed package whose `engines.node` refuses some Node version that `declared` admits. */
function packagesNarrowerThan(declared: string, packages: Record<string, LockEntry>): string[] {
  return Object.entries(packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, entry]) => {
      const range = nodeRange(entry);
      if (range === undefined || semver.subset(declared, range, { includePrerelease: false })) return [];
      return [`${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${range}`];
    });
}

describe('engines.node in package.json', () => {
  const declared: string = readJson('package.json').engines.node;
  const lock = readJson('package-lock.json');

  it('is a valid range that the Node running the tests satisfies', () => {
    expect(semver.validRange(declared), declared).to.be.a('string');
    expect(semver.satisfies(process.version, declared), `${process.version} vs ${declared}`).to.equal(true);
  });

  it('is admitted by every package in package-lock.json', () => {
    expect(packagesNarrowerThan(declared, lock.packages)).to.deep.equal([]);
  });

  it('is what the lockfile records for the root package', () => {
    expect(lock.packages[''].engines).to.deep.equal({ node: declared });
  });

  it('catches a dependency that needs a newer Node, or skips a whole major', () => {
    const packages = {
      '': { engines: { node: declared } },
      'node_modules/wants-22': { version: '2.0.2', engines: { node: '>=22' } },
      'node_modules/a/node_modules/no-21': { version: '1.0.0', engines: { node: '18 || 20 || >=22' } },
      'node_modules/old-style': { version: '0.5.4', engines: ['node >= 23'] },
      'node_modules/fine': { version: '1.1.1', engines: { node: '>=18' } },
      'node_modules/no-engines': { version: '1.0.0' },
    };
    expect(packagesNarrowerThan('>=20', packages)).to.deep.equal([
      'wants-22@2.0.2 needs node >=22',
      'no-21@1.0.0 needs node 18 || 20 || >=22',
      'old-style@0.5.4 needs node >= 23',
    ]);
    expect(packagesNarrowerThan('^20.19.0 || >=22.12.0', packages)).to.deep.equal(['wants-22@2.0.2 needs node >=22', 'old-style@0.5.4 needs node >= 23']);
  });
});
