// Latency under load: rounds of the endpoint, each beside a round of the floor (/api/ping), so
// drift on a shared machine hits both alike; the medians go in the report.
import type { Capabilities, BackendName } from '../db/backends';
import { median, ROUNDS, type LoadGenerator } from '../load';
import type { Evidence, LoadMeasurement, ScenarioContext } from '../scenario';

export interface LoadDeps {
  baseUrl: string;
  /** The run's --duration (seconds per round) and --connections. */
  duration: number;
  connections: number;
  backend: { name: BackendName; capabilities: Capabilities };
  /** Started on first use: a run without load tests never forks autocannon. */
  generator: () => LoadGenerator;
  evidence: Pick<Evidence, 'load' | 'caveats'>;
}

export function loadTestPart({ baseUrl, duration, connections, backend, generator, evidence }: LoadDeps): ScenarioContext['loadTest'] {
  return async (label, path, tenant, size) => {
    const job = (p: string) => ({ url: baseUrl + p, headers: { 'x-tenant-id': tenant }, duration, connections });
    const rounds = [];
    const floors = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.push(await generator().measure(job(path)));
      floors.push(await generator().measure(job('/api/ping')));
    }
    const measurement: LoadMeasurement = { label, path, size, rounds, median: median(rounds), floor: median(floors) };
    evidence.load.push(measurement);
    if (!backend.capabilities.representativeLatency) {
      const note = `${backend.name} latency is not a database server's: the query counts are the evidence; run with --db postgres for latency that means something.`;
      if (!evidence.caveats.includes(note)) evidence.caveats.push(note);
    }
    return measurement;
  };
}
