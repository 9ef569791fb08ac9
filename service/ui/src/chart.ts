// Horizontal grouped bar charts as inline SVG (not images, which the page's CSP keeps to data:
// icons): one heading row per group, one bar per series, values printed at the bar ends.
// Horizontal so that they stay readable at phone width.
import { el, svg } from './dom';

export interface Bar {
  series: string;
  value: number;
}

export interface BarChart {
  /** Unique in the page: the SVG's title and description are referenced by it. */
  id: string;
  title: string;
  unit: string;
  groups: { label: string; bars: Bar[] }[];
  series: string[];
  /** The CSS class that colours a series (its bars and its legend swatch). */
  seriesClass: (name: string, index: number) => string;
  format?: (value: number) => string;
}

export function barChart({ id, title, unit, groups, series, seriesClass, format = (v) => String(v) }: BarChart): HTMLElement {
  // Drawn in a 360-unit box that the page scales to its column (about 300 to 400 px wide).
  const width = 360;
  const labelW = 64;
  const valueW = 60;
  const barH = 18;
  const gap = 5;
  const groupHead = 22;
  const groupGap = 8;
  const max = Math.max(0, ...groups.flatMap((g) => g.bars.map((b) => b.value)));
  const scale = (v: number) => (max > 0 ? ((width - labelW - valueW) * v) / max : 0);

  const nodes: SVGElement[] = [];
  let y = 0;
  const described: string[] = [];
  for (const group of groups) {
    nodes.push(svg('text', { x: 0, y: y + 15, class: 'chart-group' }, group.label));
    y += groupHead;
    for (const bar of group.bars) {
      const index = series.indexOf(bar.series);
      const w = Math.max(bar.value > 0 ? 2 : 0, scale(bar.value));
      const name = bar.series.length > 10 ? `${bar.series.slice(0, 9)}…` : bar.series;
      const said = `${group.label}, ${bar.series}: ${format(bar.value)} ${unit}`;
      nodes.push(
        svg('text', { x: labelW - 6, y: y + barH - 5, class: 'chart-label', 'text-anchor': 'end' }, name),
        svg('rect', { x: labelW, y, width: w.toFixed(1), height: barH, rx: 2, class: `bar ${seriesClass(bar.series, index)}` }, svg('title', {}, said)),
        svg('text', { x: labelW + w + 5, y: y + barH - 5, class: 'chart-value' }, format(bar.value)),
      );
      described.push(said);
      y += barH + gap;
    }
    y += groupGap;
  }
  const height = Math.max(y - groupGap, 1);
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'chart', preserveAspectRatio: 'xMinYMin meet' },
    svg('title', { id: `${id}-t` }, `${title} (${unit})`),
    svg('desc', { id: `${id}-d` }, described.join('; ')),
    nodes,
  );
  const legend = el(
    'ul',
    { class: 'legend', 'aria-hidden': 'true' },
    series.map((name, i) => el('li', {}, el('span', { class: `swatch ${seriesClass(name, i)}` }), name)),
  );
  return el('figure', { class: 'chart-figure' }, el('figcaption', {}, title, el('span', { class: 'unit' }, ` · ${unit}`)), legend, chart);
}
