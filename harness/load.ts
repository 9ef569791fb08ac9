// Latency under load: rounds of autocannon (from its own process), each endpoint round
// interleaved with a floor round, so drift on the machine hits both alike.
import { fork } from 'node:child_process';
import type { LoadJob } from './load-worker';
import type { LatencyStats } from './scenario';

export interface LoadGenerator {
  measure(job: LoadJob): Promise<LatencyStats>;
  stop(): void;
}

export function startLoadGenerator(): LoadGenerator {
  const child = fork(require.resolve('./load-worker'), [], {
    execArgv: ['-r', 'ts-node/register'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (stats: LatencyStats) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  child.on('message', ({ id, stats }: { id: number; stats: LatencyStats }) => {
    pending.get(id)?.resolve(stats);
    pending.delete(id);
  });
  child.once('exit', () => {
    for (const { reject } of pending.values()) reject(new Error('the load generator exited'));
    pending.clear();
  });
  return {
    measure: (job) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ ...job, id });
      }),
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
