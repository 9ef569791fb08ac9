// The benchmarks' reports print their figures by the same rules as a run's report
// (harness/report/format.ts), so a ratio or a latency reads the same in both.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderBench, type QuickStartBench } from '../../harness/bench/quick-start';
import { renderSoak, type SoakBench } from '../../harness/bench/soak-report';

function quickStart(): QuickStartBench {
  const endpoint = { scenario: 'summary-n-plus-one', load: 'summary (30 customers)', p50Broken: 363.4, p50Fixed: 9.96, p99Broken: 1419.2, p99Fixed: 19, p50Ratio: 36.49, p99Ratio: Number.POSITIVE_INFINITY };
  return {
    date: '2026-01-02T03:04:05.000Z',
    command: 'npm run scenario',
    exitCode: 0,
    totalSeconds: 75.04,
    loadAverage: { before: 0.2, after: 0.9 },
    cores: 2,
    backend: 'embedded',
    databaseVersion: 'PostgreSQL 17',
    behavedAsExpected: true,
    verdicts: [],
    endpoints: [endpoint],
    missed: [],
  };
}

describe('benchmark reports', () => {
  it('quick start: durations, ratios and milliseconds by the report\'s rules, a ratio that cannot be taken as the dash', () => {
    const markdown = renderBench(quickStart());
    expect(markdown).to.include('| Total time | 1 min 15 s | at most 60 s |');
    expect(markdown).to.include('| summary-n-plus-one: p50 broken/fixed | 36.5x (363 / 10.0 ms) | at least 10x |');
    expect(markdown).to.include('| summary-n-plus-one: p99 broken/fixed | — (1,419 / 19.0 ms) | reported |');
  });

  it('soak: counts grouped, req/s and latency in ms by the report\'s rules, memory in binary units', () => {
    const bench = JSON.parse(readFileSync(join(__dirname, '../../reports/bench-soak.json'), 'utf8')) as SoakBench;
    Object.assign(bench.soak, { seconds: 60.04, requests: 12000, rps: 199.86, latency: { ...bench.soak.latency, p50: 4.5, p90: 15, p99: 120.4, max: 1003 } });
    bench.memory.start = { atSeconds: 0, rss: 188_542_976, heapUsed: 49_734_960, heapTotal: 81_702_912, external: 900 };
    const markdown = renderSoak(bench);
    expect(markdown).to.match(/\| Duration \| [^|]+ \| 1 min \|/);
    expect(markdown).to.match(/\| Requests answered \| [^|]+ \| 12,000 \|/);
    expect(markdown).to.match(/\| Requests per second \(bounded at \d+\) \| [^|]+ \| 200 \|/);
    expect(markdown).to.match(/\| Latency p50 \/ p90 \/ p99 \/ max \| [^|]+ \| 4\.5 \/ 15\.0 \/ 120 \/ 1,003 ms \|/);
    expect(markdown).to.include('| start (after the warm-up) | 180 MB | 47.4 MB | 77.9 MB | 900 B |');
  });
});
