// The one Server-Timing parser the harness, the tests and the web page share: it reads back what
// the service writes, finds the db metric among others, and says "unknown" rather than guess.
import { expect } from 'chai';
import { formatServerTiming, parseServerTiming } from '../../service/shared/server-timing';

describe('Server-Timing', () => {
  it('reads back what the service writes', () => {
    for (const stats of [{ queries: 0, dbMs: 0 }, { queries: 1, dbMs: 0.5 }, { queries: 1651, dbMs: 1234.56 }]) {
      expect(parseServerTiming(formatServerTiming(stats))).to.deep.equal(stats);
    }
  });

  it('finds the db metric among other metrics, with spaces, and in a header sent several times', () => {
    expect(parseServerTiming('cdn;dur=1, db; dur=3.42; desc="12 queries", app;dur=9')).to.deep.equal({ dbMs: 3.42, queries: 12 });
    expect(parseServerTiming(['edge;dur=2', 'db;dur=1.00;desc="1 queries"'])).to.deep.equal({ dbMs: 1, queries: 1 });
  });

  it('is undefined without a header, a db metric, or either of its numbers', () => {
    for (const header of [undefined, null, '', 'app;dur=3', 'dbx;dur=1;desc="2 queries"', 'db;dur=1', 'db;desc="2 queries"']) {
      expect(parseServerTiming(header), String(header)).to.equal(undefined);
    }
  });
});
