// The quickest settings a review test runs with: pg-mem, small data, one short trial.
import { DEFAULT_DATABASE_URL } from '../../harness/settings';
import type { ReviewOptions } from '../../exercise/review';

export const QUICK_REVIEW: Omit<ReviewOptions, 'candidates' | 'outDir'> = {
  backend: 'pg-mem',
  databaseUrl: DEFAULT_DATABASE_URL,
  scale: 'small',
  duration: 0.25,
  connections: 5,
  trials: 1,
  seed: 1,
};
