/** How a benchmark reports the machine's 1-minute load average around its run. */
export interface LoadAverage {
  before: number;
  after: number;
}

/** "load average 0.4 before and 1.2 after", and a warning only when it passed the core count. */
export function describeLoad(load: LoadAverage, cores: number, slowed: string, digits = 1): string {
  const busy = Math.max(load.before, load.after) > cores;
  return `load average ${load.before.toFixed(digits)} before and ${load.after.toFixed(digits)} after${busy ? ` (above the core count: other work shared the machine and slowed ${slowed})` : ''}`;
}
