// Latency under load: rounds of autocannon (from its own process), each endpoint round
// interleaved with a floor round, so drift on the machine hits both alike.
import { fork } from 'node:child_process';
import type { MixJob, MixResult } from './load-mix';
import { requester } from './ipc';
import { childEnvironment } from './service-process';
import type { LoadJob, WorkerJob } from './load-worker';
import type { LatencyStats } from './scenario';

export interface LoadGenerator {
  measure(job: LoadJob): Promise<LatencyStats>;
  /** Mixed traffic at a bounded rate; no warm-up of its own. */
  mix(job: Omit<MixJob, 'kind'>): Promise<MixResult>;
  stop(): void;
}

/**
 * The first requests to an endpoint pay for what later ones reuse: compiling the code path and
 * opening the service's pool connections (a password handshake each). One untimed request per
 * connection, the first time a URL is measured, keeps that cost out of the first round.
 */
const warmUp = (job: LoadJob): LoadJob => ({ ...job, amount: job.connections });

export function startLoadGenerator(): LoadGenerator {
  const child = fork(require.resolve('./load-worker'), [], {
    execArgv: ['-r', 'ts-node/register'],
    env: childEnvironment(),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const jobs = requester<WorkerJob>(child, (error) => new Error(`the load generator failed: ${error}`));
  child.once('exit', () => jobs.close(new Error('the load generator exited')));
  const warm = new Set<string>();
  const send = <T>(job: WorkerJob) => jobs.request<T>(job);
  return {
    async measure(job) {
      const key = `${job.url} ${JSON.stringify(job.headers)}`;
      if (!warm.has(key)) {
        warm.add(key);
        await send<LatencyStats>(warmUp(job));
      }
      return send<LatencyStats>(job);
    },
    mix: (job) => send<MixResult>({ ...job, kind: 'mix' }),
    stop: () => child.kill(),
  };
}

export const ROUNDS = 3;

export function median(rounds: LatencyStats[]): LatencyStats {
  const mid = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  const keys = Object.keys(rounds[0]!) as (keyof LatencyStats)[];
  return Object.fromEntries(keys.map((key) => [key, mid(rounds.map((round) => round[key]))])) as unknown as LatencyStats;
}
