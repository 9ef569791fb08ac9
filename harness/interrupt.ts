// Ctrl-C (or a polite kill) in any command: say so, run the cleanups the command registered (drop
// the schemas and stop the servers its runs created), keep the reports written so far, exit 130.
// A command owns one Cleanups and hands it down; nothing here is shared between commands or tests.

export class Cleanups {
  private readonly pending = new Set<() => Promise<unknown>>();

  /** Registers `cleanup` until it has been called once the normal way, which the returned function does. */
  untilDone(cleanup: () => Promise<unknown>): () => Promise<void> {
    this.pending.add(cleanup);
    return async () => {
      this.pending.delete(cleanup);
      await cleanup();
    };
  }

  /** Runs every cleanup still registered, each at most once. */
  async runPending(): Promise<void> {
    const due = [...this.pending];
    this.pending.clear();
    await Promise.allSettled(due.map((cleanup) => cleanup()));
  }

  get size(): number {
    return this.pending.size;
  }
}

/** Installed once per process, by harness/settings.ts runCommand. */
export function exitOnInterrupt(command: string, cleanups: Cleanups, doing = 'the reports keep the results finished so far; cleaning up'): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${command}: interrupted; ${doing}`);
      void cleanups.runPending().finally(() => process.exit(130));
    });
  }
}
