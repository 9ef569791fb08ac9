// Ctrl-C (or a polite kill) in any command that runs scenarios: say so, drop the schemas and stop
// the servers the run created, keep the reports written so far, and exit 130.
import { cleanUpInterruptedRun } from './run';

export function cleanUpOnInterrupt(command: string): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${command}: interrupted; the reports keep the results finished so far; cleaning up`);
      void cleanUpInterruptedRun().finally(() => process.exit(130));
    });
  }
}
