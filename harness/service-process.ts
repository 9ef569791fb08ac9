// The parent side of harness/serve.ts: fork it, wait until it listens, talk to it over IPC,
// and stop it, whatever state it is in.
import { fork, type ChildProcess } from 'node:child_process';
import type { BackendName, PostgresTarget } from './db/backends';
import { requester } from './ipc';
import { confinedEnvironment, LAB_ROOT, type Confinement } from './sandbox';
import type { ServeSettings, ServiceMessage, ServiceRequest } from './serve';

export interface ServiceOptions {
  variant: string;
  backend: BackendName;
  /** For PostgreSQL backends: the schema the service works in (created by the caller). */
  postgres?: PostgresTarget;
  serverTiming?: boolean;
  startTimeoutMs?: number;
  /** For code the lab did not write: its own user, an allow-listed environment, the lab's packages. */
  confinement?: Confinement;
}

export interface ServiceProcess {
  baseUrl: string;
  databaseVersion: string;
  ask<T>(request: ServiceRequest): Promise<T>;
  /** Why the process ended, waiting up to `graceMs` for it to end: shown in ERROR verdicts. */
  exitReason(graceMs?: number): Promise<string | undefined>;
  stop(): Promise<void>;
}

const STDERR_TAIL = 4_000;

export class ServiceStartError extends Error {}

/**
 * The environment of a process the lab forks (a service, the load generator): ours without any
 * database settings, since a service may run code someone else wrote. Settings go as typed values.
 */
export function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' };
  for (const key of Object.keys(env)) {
    if (key === 'DATABASE_URL' || key.startsWith('PG')) delete env[key];
  }
  return env;
}

export function startService(options: ServiceOptions): Promise<ServiceProcess> {
  const settings: ServeSettings = {
    variant: options.variant,
    backend: options.backend,
    port: 0,
    host: '127.0.0.1',
    dev: true,
    serverTiming: options.serverTiming !== false,
    ...(options.postgres ? { databaseUrl: options.postgres.url, schema: options.postgres.schema } : {}),
  };
  const args = ['--settings', JSON.stringify(settings)];

  const confinement = options.confinement;
  // Preloads by absolute path: a confined process's working directory is not the lab's checkout.
  const preload = ['-r', require.resolve('ts-node/register'), ...(confinement ? ['-r', require.resolve('./lab-modules')] : [])];
  const child: ChildProcess = fork(require.resolve('./serve'), args, {
    execArgv: preload,
    env: confinement ? confinedEnvironment(confinement.codeRoot, confinement.user) : childEnvironment(),
    ...(confinement?.user ? { uid: confinement.user.uid, gid: confinement.user.gid, cwd: LAB_ROOT } : {}),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
  });
  const requests = requester<ServiceRequest>(child);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `the service process exited (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-5).join(' | ')}` : ''}`;
      requests.close(new Error(exit));
      resolve();
    }),
  );

  const stop = async () => {
    if (exit === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(killer);
    }
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new ServiceStartError(`the service did not start within ${(options.startTimeoutMs ?? 30_000) / 1000} s`));
    }, options.startTimeoutMs ?? 30_000);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new ServiceStartError(exit));
    });
    child.on('message', (message: ServiceMessage) => {
      if ('type' in message && message.type === 'failed') {
        clearTimeout(timer);
        reject(new ServiceStartError(message.error));
      } else if ('type' in message && message.type === 'ready') {
        clearTimeout(timer);
        resolve({
          baseUrl: `http://127.0.0.1:${message.port}`,
          databaseVersion: message.databaseVersion,
          ask: (request) => requests.request(request),
          exitReason: async (graceMs = 0) => {
            if (exit === undefined && graceMs > 0) await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
            return exit;
          },
          stop,
        });
      }
    });
  });
}
