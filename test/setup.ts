// Mocha root hooks: say plainly what was not tested and why. Test files run in parallel workers,
// where this hook runs after every file: each line is said once, after the file that found it.
import { skipped } from './helpers/matrix';

let said = 0;

export const mochaHooks = {
  afterAll() {
    for (const line of skipped.slice(said)) console.log(`\n  SKIPPED: ${line}`);
    said = skipped.length;
  },
};
