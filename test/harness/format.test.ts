// Every report prints its figures through harness/report/format.ts: these are its rules, edges included.
import { expect } from 'chai';
import { bytes, count, duration, ms, NONE, percent, ratio, rps, times } from '../../harness/report/format';

const MISSING = [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

describe('format', () => {
  it('prints the report dash for a missing, NaN or infinite figure, whatever its kind', () => {
    for (const value of MISSING) {
      for (const format of [count, ms, rps, duration, times, percent, bytes]) expect(format(value), `${format.name}(${value})`).to.equal(NONE);
      expect(ratio(value, 2)).to.equal(NONE);
      expect(ratio(2, value)).to.equal(NONE);
    }
    expect(NONE).to.equal('—');
  });

  it('milliseconds: one decimal below 100, whole from 100, grouped by thousands', () => {
    // Halves round up, as a reader rounds: 9.95 is "10.0" (toFixed alone would print "9.9").
    expect([0, 0.04, 0.25, 9.95, 48.26, 99.5, 99.94].map(ms)).to.deep.equal(['0.0', '0.0', '0.3', '10.0', '48.3', '99.5', '99.9']);
    // Rounded first: 99.96 would otherwise print "100.0".
    expect([99.96, 100, 412.7, 999.5, 1000, 1249.6, 1234567].map(ms)).to.deep.equal(['100', '100', '413', '1,000', '1,000', '1,250', '1,234,567']);
  });

  it('requests per second follow the millisecond rule', () => {
    expect([0, 0.5, 83.24, 99.5, 120.4, 15321.2].map(rps)).to.deep.equal(['0.0', '0.5', '83.2', '99.5', '120', '15,321']);
  });

  it('durations: milliseconds below a second, one decimal of seconds below a minute, then minutes and seconds', () => {
    expect([0, 0.4, 9.95, 99.5, 850, 999.4].map(duration)).to.deep.equal(['0.0 ms', '0.4 ms', '10.0 ms', '99.5 ms', '850 ms', '999 ms']);
    expect([999.7, 1000, 2_140, 59_940].map(duration)).to.deep.equal(['1.0 s', '1.0 s', '2.1 s', '59.9 s']);
    expect([59_960, 60_000, 95_000, 125_400, 3_600_000, 61_000_000].map(duration)).to.deep.equal(['1 min', '1 min', '1 min 35 s', '2 min 5 s', '60 min', '1,016 min 40 s']);
  });

  it('ratios: one decimal, whole from 100x, two decimals below 1x, the dash when the denominator is not positive', () => {
    expect([1, 9.95, 12.34, 99.5, 100, 301, 1234.4].map(times)).to.deep.equal(['1.0x', '10.0x', '12.3x', '99.5x', '100x', '301x', '1,234x']);
    expect([0, 0.046, 0.5, 0.994, 0.996].map(times)).to.deep.equal(['0.00x', '0.05x', '0.50x', '0.99x', '1.0x']);
    expect(ratio(413, 41)).to.equal('10.1x');
    expect(ratio(1, 20)).to.equal('0.05x');
    expect(ratio(3, 0)).to.equal(NONE);
    expect(ratio(3, -1)).to.equal(NONE);
    expect(ratio(0, 3)).to.equal('0.00x');
  });

  it('percentages of a share: one decimal below 10%, whole from 10%', () => {
    expect([0, 0.0004, 0.045, 0.0995, 0.0996, 0.5, 0.94, 1, 12.345].map(percent)).to.deep.equal(['0.0%', '0.0%', '4.5%', '10%', '10%', '50%', '94%', '100%', '1,235%']);
    expect(percent(-0.023)).to.equal('-2.3%');
  });

  it('byte sizes: binary units, the millisecond rule for the number', () => {
    expect([0, 512, 1023, 1024, 1536, 47_815_065, 1024 ** 3 * 1.25, 1024 ** 4 * 2048].map(bytes)).to.deep.equal([
      '0 B',
      '512 B',
      '1,023 B',
      '1.0 KB',
      '1.5 KB',
      '45.6 MB',
      '1.3 GB',
      '2,048 TB',
    ]);
  });

  it('counts: whole, rounded, grouped by thousands, negative too', () => {
    expect([0, 0.4, 9.5, 999, 1000, 1234567, -12345].map(count)).to.deep.equal(['0', '0', '10', '999', '1,000', '1,234,567', '-12,345']);
  });
});
