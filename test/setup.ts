// Mocha root hooks: say plainly, at the end of the run, what was not tested and why.
import { skipped } from './helpers/matrix';

export const mochaHooks = {
  afterAll() {
    for (const line of skipped) console.log(`\n  SKIPPED: ${line}`);
  },
};
