// A benchmark report may say the machine was busy only when its load average says so.
import { expect } from 'chai';
import { describeLoad } from '../../harness/bench/machine-load';

describe('benchmark load average', () => {
  it('warns only when the load passed the core count, before or after', () => {
    expect(describeLoad({ before: 0.12, after: 1.2 }, 2, 'the run')).to.equal('load average 0.1 before and 1.2 after');
    expect(describeLoad({ before: 2.41, after: 4.42 }, 2, 'the service', 2)).to.equal(
      'load average 2.41 before and 4.42 after (above the core count: other work shared the machine and slowed the service)',
    );
    expect(describeLoad({ before: 2.5, after: 0.3 }, 2, 'the run')).to.contain('above the core count');
  });
});
