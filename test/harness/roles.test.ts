// The one statement of what each variant is expected to give: the run's exit code, the review's
// baseline checks and the verdict tests all ask harness/roles.ts, so its table is tested here.
import { expect } from 'chai';
import { baselinePair, ConfigError, defaultVariant, expectedVerdicts, labConfig, parseLabConfig, roleInRun } from '../../harness/roles';

describe('variant roles (harness/roles.ts)', () => {
  it('expects the original to FAIL a public scenario, anything of it on a hidden one, and a candidate and the reference to PASS', () => {
    for (const backend of ['pg-mem', 'postgres', 'embedded'] as const) {
      expect(expectedVerdicts('original', backend)).to.deep.equal(['FAIL']);
      expect(expectedVerdicts('original', backend, { reproducesBug: false })).to.have.members(['PASS', 'FAIL', 'INCONCLUSIVE', 'ERROR', 'TIMEOUT']);
    }
  });

  it('accepts INCONCLUSIVE from a candidate or the reference on pg-mem only', () => {
    for (const role of ['candidate', 'reference'] as const) {
      expect(expectedVerdicts(role, 'pg-mem')).to.deep.equal(['PASS', 'INCONCLUSIVE']);
      expect(expectedVerdicts(role, 'postgres')).to.deep.equal(['PASS']);
      expect(expectedVerdicts(role, 'embedded', { reproducesBug: false })).to.deep.equal(['PASS']);
    }
  });

  it("reads the lab's configuration: broken is the original, fixed the reference, broken is served by default", () => {
    expect(labConfig().variants.map((v) => [v.id, v.role])).to.deep.equal([
      ['broken', 'original'],
      ['fixed', 'reference'],
    ]);
    expect(defaultVariant().id).to.equal('broken');
    expect(baselinePair()).to.deep.equal(['broken', 'fixed']);
  });

  it('gives configured variants their roles side by side, and judges a variant run alone as the code under test', () => {
    expect(roleInRun('broken', ['broken', 'fixed'])).to.equal('original');
    expect(roleInRun('fixed', ['broken', 'fixed'])).to.equal('reference');
    expect(roleInRun('./mine', ['broken', './mine', 'fixed'])).to.equal('candidate');
    expect(roleInRun('broken', ['broken'])).to.equal('candidate');
  });

  it('refuses a configuration without variants or with an unknown role, naming the roles', () => {
    expect(() => parseLabConfig('{"variants": []}')).to.throw(ConfigError, /names no variant/);
    expect(() => parseLabConfig('{"variants": [{"id": "a", "label": "a", "path": "variants/a", "role": "main"}]}')).to.throw(ConfigError, /original, candidate, reference/);
    const single = parseLabConfig('{"variants": [{"id": "app", "label": "app", "path": "variants/app", "role": "candidate"}]}');
    expect(defaultVariant(single).id).to.equal('app');
    expect(baselinePair(single)).to.equal(undefined);
  });
});
