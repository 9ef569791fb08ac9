// The ScenarioContext a scenario runs with, composed from small parts: the HTTP client, the data
// helpers, the evidence record, scaling and load measurement, and numbered steps. Everything it
// records lands in the evidence and serverErrors it is given, for runOne to judge and report.
import { CAPABILITIES, realPostgres, type BackendName } from '../db/backends';
import type { LoadGenerator } from '../load';
import type { RecordedRequest } from '../queries';
import type { Evidence, Http, Scale, ScenarioContext, ScenarioOptions, ScenarioResult } from '../scenario';
import type { ServerError } from '../server-errors';
import type { ServiceProcess } from '../service-process';
import { dataParts } from './data';
import { evidenceRecorder } from './evidence';
import { createHttp } from './http';
import { loadTestPart } from './load';
import { scalingPart } from './scaling';

/** Customers in the three data sizes of a scaling table (5 orders of 3 items each per customer). */
export const SIZES: Record<Scale, readonly [number, number, number]> = {
  small: [3, 10, 30],
  medium: [10, 30, 100],
  large: [30, 100, 300],
};

export interface ContextDeps {
  service: ServiceProcess;
  options: ScenarioOptions & { backend: BackendName };
  evidence: Evidence;
  /** Every 5xx answer of the scenario, from any of its service processes. */
  serverErrors: ServerError[];
  steps: ScenarioResult['steps'];
  load: () => LoadGenerator;
  /** A step started, at this many ms into the scenario. */
  report: (step: string, elapsedMs: number) => void;
  started: number;
  /** Starts another service process on the same database, or null where there is none to share. */
  startSibling: () => Promise<ServiceProcess | null>;
  /**
   * How long one request may take. The original code's slowest paths (a row-by-row seed at large
   * scale on pg-mem) are slow, not hung: they must end in a verdict, not in an aborted request.
   */
  requestTimeoutMs?: number;
}

export function createContext({ service, options, evidence, serverErrors, steps, load, report, started, startSibling, requestTimeoutMs }: ContextDeps): ScenarioContext {
  const record = { requests: evidence.requests, serverErrors };
  const http = createHttp(service.baseUrl, record, requestTimeoutMs);
  const backend = { name: options.backend, capabilities: CAPABILITIES[options.backend], settleWith: realPostgres() };
  const sizes = SIZES[options.scale];
  const secondService = async (): Promise<Http | null> => {
    const sibling = await startSibling();
    return sibling ? createHttp(sibling.baseUrl, record, requestTimeoutMs) : null;
  };
  return {
    http,
    backend,
    options,
    sizes,
    async step(title, run) {
      report(`${steps.length + 1}. ${title}`, performance.now() - started);
      const at = performance.now();
      try {
        return await run();
      } finally {
        steps.push({ title, ms: performance.now() - at });
      }
    },
    ...dataParts({ service, http, seed: options.seed, secondService }),
    ...evidenceRecorder(evidence, (requestId) => service.ask<RecordedRequest | null>({ type: 'queries', requestId })),
    scaling: scalingPart(evidence, sizes),
    loadTest: loadTestPart({ baseUrl: service.baseUrl, duration: options.duration, connections: options.connections, backend, generator: load, evidence }),
  };
}
