// Runs autocannon in a process of its own, so the load generator never shares an event loop
// (or a core's time slice accounting) with the server it measures.
import autocannon from 'autocannon';
import { answerRequests } from './ipc';
import { runMix, type MixJob } from './load-mix';
import type { LatencyStats } from './scenario';

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  duration: number;
  connections: number;
  /** Send exactly this many requests instead of loading for `duration` (a warm-up). */
  amount?: number;
}

/** What the parent sends: one endpoint to measure, or a mix of request shapes (harness/load-mix.ts). */
export type WorkerJob = (LoadJob & { kind?: 'measure' }) | MixJob;

/** Responses that must complete for a round's percentiles to mean anything. */
const MIN_RESPONSES = 10;

/**
 * autocannon notices the end of a round only when it samples, once a second by default: a
 * 0.2 s round would take a whole second, and a warm-up of a few requests too.
 */
const SAMPLE_MS = 50;

async function measure(job: LoadJob): Promise<LatencyStats> {
  const base = { url: job.url, headers: job.headers, connections: job.connections, timeout: 30, sampleInt: SAMPLE_MS };
  let result = await autocannon(job.amount ? { ...base, amount: job.amount } : { ...base, duration: job.duration });
  // autocannon drops requests still in flight when the time is up: an endpoint slower than
  // the round would report nothing. Then count responses instead of seconds.
  if (result.requests.total < MIN_RESPONSES) {
    result = await autocannon({ ...base, amount: Math.max(MIN_RESPONSES, job.connections) });
  }
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    // requests.average is per sample, not per second.
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

// Its parent is gone (interrupted, or killed): nobody is left to read a result, so stop loading.
process.on('disconnect', () => process.exit(0));

answerRequests<WorkerJob>((job) => (job.kind === 'mix' ? runMix(job) : measure(job)));
