// How the page writes money, counts and times.

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const cents = (value: unknown): string => money.format((Number(value) || 0) / 100);

export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
