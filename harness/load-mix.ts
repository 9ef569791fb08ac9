// Mixed traffic for autocannon: weighted request shapes, described as plain data so they can be
// sent to the load generator's process, turned there into one autocannon request whose
// setupRequest draws a shape for every request it sends.
import autocannon, { type Request as AutocannonRequest } from 'autocannon';
import { randomSource } from '../variants/shared/random';

export type MixMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface MixShape {
  /** Names the shape in the status counts. */
  name: string;
  /** Relative share of the requests. */
  weight: number;
  method: MixMethod;
  /** Drawn at random; `:id` is replaced by an id taken from `fromPool`. */
  paths: string[];
  /** JSON bodies drawn at random (sent as application/json); none: no body, no content type. */
  bodies?: unknown[];
  /** The id of every 201 answer goes into this pool. */
  fillsPool?: string;
  /** Where `:id` comes from. An empty pool skips the shape: another is drawn. */
  fromPool?: string;
  /** The id leaves its pool when drawn, so no later request uses it (a delete). */
  consumesId?: boolean;
}

export interface MixJob {
  kind: 'mix';
  url: string;
  headers: Record<string, string>;
  shapes: MixShape[];
  duration: number;
  connections: number;
  /** Requests per second over all connections. */
  overallRate: number;
  seed: number;
}

export interface MixResult {
  requests: number;
  /** Mean requests per second over the run. */
  rps: number;
  seconds: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  /** Answers by HTTP status, over every shape. */
  statusCodes: Record<string, number>;
  /** Answers by shape, then by HTTP status. */
  byShape: Record<string, Record<string, number>>;
}

interface Drawn {
  shape: MixShape;
  method: MixMethod;
  path: string;
  body?: string;
}

type Pools = Map<string, number[]>;
type ShapeContext = { shape: MixShape };

/** Draws shapes by weight until one can be sent (a pool it needs may still be empty). */
export function createDrawer(shapes: MixShape[], seed: number, pools: Pools = new Map()) {
  const random = randomSource(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const total = shapes.reduce((sum, shape) => sum + shape.weight, 0);
  // Otherwise a draw could wait forever for a pool to fill.
  if (!shapes.some((shape) => !shape.fromPool && shape.weight > 0)) throw new Error('a mix needs a shape with a weight that needs no pool');

  const byWeight = (): MixShape => {
    let r = random() * total;
    return shapes.find((shape) => (r -= shape.weight) < 0) ?? shapes[shapes.length - 1]!;
  };
  const draw = (): Drawn => {
    for (;;) {
      const shape = byWeight();
      let path = pick(shape.paths);
      if (shape.fromPool) {
        const pool = pools.get(shape.fromPool) ?? [];
        if (pool.length === 0) continue;
        const index = Math.floor(random() * pool.length);
        const id = pool[index]!;
        if (shape.consumesId) pool.splice(index, 1);
        path = path.replace(':id', String(id));
      }
      const body = shape.bodies?.length ? JSON.stringify(pick(shape.bodies)) : undefined;
      return { shape, method: shape.method, path, body };
    }
  };
  const answered = (shape: MixShape, status: number, body: string) => {
    if (!shape.fillsPool || status !== 201) return;
    const id = Number((JSON.parse(body) as { id?: unknown }).id);
    if (Number.isInteger(id)) {
      if (!pools.has(shape.fillsPool)) pools.set(shape.fillsPool, []);
      pools.get(shape.fillsPool)!.push(id);
    }
  };
  return { draw, answered };
}

/** The one autocannon request of a mix, and the counts its answers fill in. */
export function mixRequest(job: Pick<MixJob, 'shapes' | 'seed'>): { request: AutocannonRequest; byShape: MixResult['byShape'] } {
  const drawer = createDrawer(job.shapes, job.seed);
  const byShape: MixResult['byShape'] = Object.fromEntries(job.shapes.map((shape) => [shape.name, {}]));
  const request: AutocannonRequest = {
    // autocannon keeps one request in flight per connection (no pipelining), so the shape noted
    // in the connection's context is the one its next answer belongs to.
    setupRequest: (req, context) => {
      const drawn = drawer.draw();
      (context as ShapeContext).shape = drawn.shape;
      const headers = { ...req.headers, ...(drawn.body === undefined ? {} : { 'content-type': 'application/json' }) };
      return { ...req, method: drawn.method, path: drawn.path, headers, body: drawn.body };
    },
    onResponse: (status, body, context) => {
      const shape = (context as ShapeContext).shape;
      const counts = byShape[shape.name]!;
      counts[status] = (counts[status] ?? 0) + 1;
      drawer.answered(shape, status, body);
    },
  };
  return { request, byShape };
}

/** Runs a mix for `duration` seconds at `overallRate` (in the load generator's process). */
export async function runMix(job: MixJob): Promise<MixResult> {
  const { request, byShape } = mixRequest(job);
  const result = await autocannon({
    url: job.url,
    headers: job.headers,
    connections: job.connections,
    duration: job.duration,
    overallRate: job.overallRate,
    requests: [request],
    timeout: 30,
    // autocannon 9 corrects for coordinated omission with an expected interval of ceil(1 / rate)
    // milliseconds, i.e. 1 ms: a 50 ms answer would add 49 made-up samples. Record what was timed.
    ignoreCoordinatedOmission: true,
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, { count }]) => [status, Number(count ?? 0)]));
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    seconds: result.duration,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    byShape,
  };
}
