// The one place figures become text. The markdown report, SOLUTION.md's evidence, the benchmarks,
// the CLIs and the review tooling all print through these functions, so one figure reads the same
// wherever it appears. It lives in harness/ so that every one of them may import it.
//
// The rules, one per kind of figure:
// - a figure that is missing, NaN or infinite prints as the report's dash (NONE);
// - milliseconds and requests per second: one decimal below 100, where the decimal still matters;
//   whole numbers from 100 up ("48.3", "413", "1,250");
// - durations (given in ms): "850 ms" below a second, "12.3 s" below a minute, "2 min 5 s" above;
// - ratios: "12.3x", whole from 100x up ("301x"), two decimals below 1x so a twentyfold gain in
//   the other direction reads "0.05x", not "0.0x";
// - percentages (given as a share, 0.25 = 25%): one decimal below 10% ("4.5%"), whole above ("94%");
// - byte sizes: binary units, B, KB, MB, GB, with the millisecond rule for the number ("45.6 MB");
// - counts: whole, rounded;
// and every whole part of 1,000 or more is grouped by thousands with a comma. The separator is
// always a comma, never the machine's locale, so a report reads the same on every machine and the
// committed reports do not change with who rendered them.

export const NONE = '—';

type Figure = number | undefined | null;

function finite(value: Figure): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Digits grouped by thousands: "1234567.8" -> "1,234,567.8". */
function grouped(digits: string): string {
  const [whole, fraction] = digits.split('.');
  const sign = whole!.startsWith('-') ? '-' : '';
  const withCommas = whole!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${withCommas}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** One decimal below 100, whole from 100; decided after rounding, so 99.96 prints "100", not "100.0". */
function measure(value: number): string {
  const tenths = Math.round(value * 10) / 10;
  return grouped(Math.abs(tenths) < 100 ? tenths.toFixed(1) : Math.round(value).toFixed(0));
}

/** A count: whole, rounded, grouped by thousands ("12,345"). */
export function count(value: Figure): string {
  return finite(value) ? grouped(Math.round(value).toFixed(0)) : NONE;
}

/** Milliseconds, without the unit (tables name it in the column). */
export function ms(value: Figure): string {
  return finite(value) ? measure(value) : NONE;
}

/** Requests per second, without the unit: the millisecond rule. */
export function rps(value: Figure): string {
  return finite(value) ? measure(value) : NONE;
}

/** A duration given in milliseconds, with its unit: "850 ms", "12.3 s", "2 min 5 s". */
export function duration(valueMs: Figure): string {
  if (!finite(valueMs)) return NONE;
  // Decided on the rounded figure, so 999.7 ms prints "1.0 s", not "1,000 ms".
  if (Math.abs(Math.round(valueMs)) < 1000) return `${measure(valueMs)} ms`;
  const tenths = Math.round(valueMs / 100) / 10;
  if (Math.abs(tenths) < 60) return `${tenths.toFixed(1)} s`;
  const seconds = Math.round(valueMs / 1000);
  const rest = seconds % 60;
  return `${count(Math.floor(seconds / 60))} min${rest ? ` ${rest} s` : ''}`;
}

/** A ratio already divided out: "12.3x", "301x", "0.05x". */
export function times(value: Figure): string {
  if (!finite(value)) return NONE;
  const hundredths = Math.round(value * 100) / 100;
  return `${Math.abs(hundredths) < 1 ? hundredths.toFixed(2) : measure(value)}x`;
}

/** numerator / denominator as a ratio; the dash when the denominator is not positive. */
export function ratio(numerator: Figure, denominator: Figure): string {
  if (!finite(numerator) || !finite(denominator) || denominator <= 0) return NONE;
  return times(numerator / denominator);
}

/** A share as a percentage: 0.045 -> "4.5%", 0.94 -> "94%". */
export function percent(share: Figure): string {
  if (!finite(share)) return NONE;
  const tenths = Math.round(share * 1000) / 10;
  return `${Math.abs(tenths) < 10 ? tenths.toFixed(1) : grouped(Math.round(share * 100).toFixed(0))}%`;
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** A size in bytes, in binary units: "512 B", "1.5 KB", "45.6 MB". */
export function bytes(value: Figure): string {
  if (!finite(value)) return NONE;
  if (Math.abs(value) < 1024) return `${count(value)} B`;
  let scaled = value / 1024;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${measure(scaled)} ${BYTE_UNITS[unit]}`;
}
