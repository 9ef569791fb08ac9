// A scenario's data: shops of its own (over HTTP, or filled by the bulk loader in the service's
// process), the rows a shop holds, and a second service process on the same database.
import type { Dataset, DatasetSpec } from '../db/bulk-load';
import type { Http, ScenarioContext, TenantSnapshot } from '../scenario';
import type { ServiceProcess } from '../service-process';

export interface DataDeps {
  service: Pick<ServiceProcess, 'ask'>;
  http: Http;
  /** The run's --seed: the bulk loader's data follows from it. */
  seed: number;
  /** Another process of the service on the same database, or null where none can share it. */
  secondService: () => Promise<Http | null>;
}

/** Tenant ids unique within one scenario, readable in the report (`<label>-<n>`), valid for the service's pattern. */
export function tenantIds(): (label: string) => string {
  let issued = 0;
  return (label) => `${label}-${++issued}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 64);
}

export function dataParts({ service, http, seed, secondService }: DataDeps): Pick<ScenarioContext, 'newTenant' | 'load' | 'snapshot' | 'secondService'> {
  const newTenantId = tenantIds();
  return {
    async newTenant(label) {
      const id = newTenantId(label);
      const response = await http.post('/tenants', { body: { id, name: `Shop ${id}` }, quiet: true });
      if (response.status !== 201) throw new Error(`could not create tenant ${id}: HTTP ${response.status}`);
      return id;
    },
    async load({ label, ...spec }) {
      const tenant = newTenantId(label);
      const dataset = await service.ask<Dataset>({ type: 'load', spec: { seed, ...spec, tenant } satisfies DatasetSpec });
      // The service caches known tenants; its first lookup would add a query to the first measured request.
      await http.get('/api/ping', { tenant, quiet: true });
      return dataset;
    },
    snapshot: (tenant) => service.ask<TenantSnapshot>({ type: 'snapshot', tenant }),
    secondService,
  };
}
