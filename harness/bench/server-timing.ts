// What the Server-Timing instrumentation costs: two processes of the reference variant on the same
// data, one with the query meter and one without, loaded in interleaved rounds.
// `npm run bench:server-timing -- [--db pg-mem|postgres] [--duration 5] [--rounds 5]`
import { writeFileSync } from 'node:fs';
import { createSchema, type BackendName } from '../db/backends';
import { oneOf, parseFlags, positiveNumber, runCommand, type CommandContext, type LabEnvironment } from '../settings';
import { defaultVariant, variantWithRole } from '../roles';
import { median, startLoadGenerator } from '../load';
import { ms, percent, rps } from '../report/format';
import { startService, type ServiceProcess } from '../service-process';
import type { LatencyStats } from '../scenario';

const PATH = '/api/orders/summary?limit=50';
const TENANT = 'bench';

export interface ServerTimingOptions {
  backend: Exclude<BackendName, 'embedded'>;
  duration: number;
  rounds: number;
  connections: number;
  out: string;
  databaseUrl: string;
}

export function parseServerTimingOptions(argv: string[], env: LabEnvironment): ServerTimingOptions {
  const { values } = parseFlags(argv, {
    db: { type: 'string' },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string' },
    out: { type: 'string' },
  });
  const backend = oneOf('db', values.db, ['pg-mem', 'postgres'] as const, 'pg-mem');
  return {
    backend,
    duration: positiveNumber('duration', values.duration, 5, 600, false),
    rounds: positiveNumber('rounds', values.rounds, 5, 100),
    connections: positiveNumber('connections', values.connections, 10, 1000),
    out: values.out ?? `reports/${backend}-server-timing.md`,
    databaseUrl: env.databaseUrl,
  };
}

async function main(argv: string[], { env }: CommandContext): Promise<number> {
  const { backend, duration, rounds, connections, out, databaseUrl } = parseServerTimingOptions(argv, env);
  // The code whose cost is measured: the one that should ship.
  const variant = (variantWithRole('reference') ?? defaultVariant()).id;

  // On PostgreSQL both processes share one schema and one copy of the data; pg-mem lives inside
  // each process, so each gets the same data set from the same seed.
  const schema = backend === 'postgres' ? await createSchema(databaseUrl) : undefined;
  const services: Record<'on' | 'off', ServiceProcess> = {
    on: await startService({ variant, backend, postgres: schema, serverTiming: true }),
    off: await startService({ variant, backend, postgres: schema, serverTiming: false }),
  };
  const generator = startLoadGenerator();
  try {
    const spec = { tenant: TENANT, customers: 100, ordersPerCustomer: 5, itemsPerOrder: 3, seed: 1 };
    await services.on.ask({ type: 'load', spec });
    if (backend === 'pg-mem') await services.off.ask({ type: 'load', spec });
    const results: Record<'on' | 'off', LatencyStats[]> = { on: [], off: [] };
    for (let round = 1; round <= rounds; round += 1) {
      for (const mode of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        results[mode].push(await generator.measure({ url: services[mode].baseUrl + PATH, headers: { 'x-tenant-id': TENANT }, duration, connections }));
        process.stderr.write(`round ${round}/${rounds}: Server-Timing ${mode}, ${rps(results[mode].at(-1)!.rps)} req/s\n`);
      }
    }
    // Rounds run in on/off pairs, back to back: the median of the paired ratios cancels the drift
    // a shared 2-core machine has between pairs.
    const pairedRatios = results.on.map((round, i) => round.rps / results.off[i]!.rps).sort((a, b) => a - b);
    const mid = Math.floor(pairedRatios.length / 2);
    const ratio = pairedRatios.length % 2 ? pairedRatios[mid]! : (pairedRatios[mid - 1]! + pairedRatios[mid]!) / 2;
    const cost = (1 - ratio) * 100;
    const report = [
      `# Server-Timing overhead (${backend})`,
      '',
      `Variant ${variant}, \`GET ${PATH}\`, 100 customers, ${rounds} interleaved rounds of ${duration} s, ${connections} connections, ${new Date().toISOString()}.`,
      `Reproduce: \`npm run bench:server-timing -- --db ${backend} --duration ${duration} --rounds ${rounds}\``,
      '',
      '| Server-Timing | median req/s | p50 ms | p99 ms | req/s per round |',
      '| --- | --- | --- | --- | --- |',
      ...(['on', 'off'] as const).map((m) => `| ${m} | ${rps(median(results[m]).rps)} | ${ms(median(results[m]).p50)} | ${ms(median(results[m]).p99)} | ${results[m].map((r) => rps(r.rps)).join(', ')} |`),
      '',
      // Three decimals, not the report's ratio rule: a 2% cost is the figure measured here, and "1.0x" would hide it.
      `Paired on/off throughput ratios: ${pairedRatios.map((r) => r.toFixed(3)).join(', ')}.`,
      `Throughput cost of the instrumentation (median of the paired ratios): **${percent(cost / 100)}** (goal: under 5%).`,
      '',
    ].join('\n');
    writeFileSync(out, report);
    console.log(report);
    console.log(`written to ${out}`);
    return 0;
  } finally {
    generator.stop();
    await Promise.all([services.on.stop(), services.off.stop()]);
    await schema?.drop();
  }
}

if (require.main === module) runCommand('bench:server-timing', main);
