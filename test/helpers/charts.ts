// Reads back the mermaid charts a report holds, so tests can compare them with the run's numbers.

/** The bodies of the report's ```mermaid blocks, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((match) => match[1]!);
}

export interface Chart {
  title: string;
  xTitle: string;
  categories: string[];
  yTitle: string;
  series: { kind: string; values: number[] }[];
}

const quoted = (line: string) => [...line.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);

/** One xychart-beta block as data: title, x-axis title and categories, y-axis title, series. */
export function parseChart(block: string): Chart {
  const lines = block.split('\n').map((line) => line.trim());
  if (lines[0] !== 'xychart-beta') throw new Error(`not an xychart: ${lines[0]}`);
  const find = (keyword: string) => lines.find((line) => line.startsWith(`${keyword} `)) ?? '';
  const [xTitle = '', ...categories] = quoted(find('x-axis'));
  return {
    title: quoted(find('title'))[0] ?? '',
    xTitle,
    categories,
    yTitle: quoted(find('y-axis'))[0] ?? '',
    series: lines
      .map((line) => /^(line|bar) \[(.*)\]$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ kind: match[1]!, values: match[2]!.split(',').map(Number) })),
  };
}

/** The chart titled `title`; throws naming the titles there are when there is none. */
export function chartTitled(markdown: string, title: string): Chart {
  const charts = mermaidBlocks(markdown).map(parseChart);
  const chart = charts.find((c) => c.title === title);
  if (!chart) throw new Error(`no chart "${title}"; charts: ${charts.map((c) => c.title).join(' | ')}`);
  return chart;
}
