// The report is what people read of a run, so its rules are tested on a fixed run: right verdict
// per cell, ratios computed from the numbers. What a review shows to whom: test/exercise/report.test.ts.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { collectHeader, reproduceCommand } from '../../harness/report/header';
import { renderMarkdown } from '../../harness/report/markdown';
import { readReport, writeReport } from '../../harness/report/write';
import type { RunResult, ScenarioResult } from '../../harness/scenario';
import { chartTitled, mermaidBlocks } from '../helpers/charts';

const FIXTURE = join(__dirname, 'fixtures', 'run.json');

function fixture(): RunResult {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as RunResult;
}

function resultOf(run: RunResult, scenario: string, variant: string): ScenarioResult {
  const result = run.results.find((r) => r.scenario === scenario && r.variant === variant);
  if (!result) throw new Error(`fixture has no ${scenario}/${variant}`);
  return result;
}

/** Cells of a table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

function tableRowsStartingWith(markdown: string, firstCell: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map(cells)
    .filter((row) => row[0] === firstCell);
}

/** The verdict matrix is the first table; its rows start with a link to the scenario. */
function matrixRow(markdown: string, id: string): string[] {
  const matrix = markdown.slice(markdown.indexOf('## Verdicts'), markdown.indexOf('\n## ', markdown.indexOf('## Verdicts') + 1));
  const row = tableRowsStartingWith(matrix, `[${id}](#${id})`)[0];
  if (!row) throw new Error(`no matrix row for ${id}`);
  return row.slice(1).map((cell) => cell.replace(/^\[(.*)\]\(#.*\)$/, '$1'));
}

function ratio(numerator: number, denominator: number): string {
  return `${(numerator / denominator).toFixed(1)}x`;
}

describe('report markdown', () => {
  it('opens with provenance and the exact command to reproduce', () => {
    const run = fixture();
    const markdown = renderMarkdown(run);
    expect(markdown.startsWith('# ')).to.equal(true);
    for (const value of [run.header.commit, run.header.node, run.header.databaseVersion, run.header.date]) {
      expect(markdown).to.include(value);
    }
    expect(markdown).to.include('```sh\n' + run.header.command + '\n```');
    expect(markdown).to.include('Total time:** 1 min 23 s');
    expect(markdown.indexOf('## Verdicts')).to.be.lessThan(markdown.indexOf('## summary-n-plus-one'));
  });

  it('names the engine that ran, why it fell back, what the server lets in, and a fractional round', () => {
    const run = fixture();
    expect(renderMarkdown(run)).not.to.match(/Fell back to pg-mem|\*\*Authentication:/);
    run.header.backend = 'pg-mem';
    run.header.engineFallback = 'embedded PostgreSQL could not start: no binaries; pg-mem cannot show races';
    run.header.databaseAuth = 'trust authentication: any local process can log in as any user, so candidate credentials do not isolate';
    run.header.duration = 0.5;
    const markdown = renderMarkdown(run);
    expect(markdown).to.match(/^# Regression Lab report: pg-mem$/m);
    expect(markdown).to.include('- **Fell back to pg-mem:** embedded PostgreSQL could not start: no binaries; pg-mem cannot show races\n');
    expect(markdown).to.include('- **Authentication:** trust authentication: any local process can log in as any user');
    expect(markdown).to.include('- **Load:** 0.5 s per round');
  });

  it('puts each result\'s verdict in its scenario row and variant column, linked to the details', () => {
    const run = fixture();
    const markdown = renderMarkdown(run);
    for (const id of run.scenarios) {
      const expected = run.header.variants.map((variant) => resultOf(run, id, variant).verdict);
      expect(matrixRow(markdown, id), id).to.deep.equal(expected);
    }
    expect(markdown).to.include('[INCONCLUSIVE](#concurrent-oversell)');
    expect(markdown).to.include('\n## concurrent-oversell\n');
  });

  it('shows a dash for a variant that has not run, and warns that an interrupted run is partial', () => {
    const run = fixture();
    run.complete = false;
    delete run.totalMs;
    run.results = run.results.filter((r) => !(r.scenario === 'soft-delete' && r.variant === 'fixed'));
    const markdown = renderMarkdown(run);
    expect(matrixRow(markdown, 'soft-delete')).to.deep.equal(['FAIL', '—']);
    expect(markdown).to.match(/Warning: this run was interrupted/);
    expect(markdown).to.include(`only the ${run.results.length} of 6 results that finished`);
    expect(markdown).not.to.include('Total time');
    expect(renderMarkdown(fixture())).not.to.include('interrupted');
  });

  it('computes broken/fixed latency ratios and the fixed p99 against its floor from the measurements', () => {
    const run = fixture();
    const broken = resultOf(run, 'summary-n-plus-one', 'broken').evidence.load[0]!;
    const fixed = resultOf(run, 'summary-n-plus-one', 'fixed').evidence.load[0]!;
    const markdown = renderMarkdown(run);
    const section = markdown.slice(markdown.indexOf('## Broken -> fixed'), markdown.indexOf('## summary-n-plus-one'));
    const [row] = tableRowsStartingWith(section, '[summary-n-plus-one](#summary-n-plus-one)');
    expect(row).to.deep.equal([
      '[summary-n-plus-one](#summary-n-plus-one)',
      `${broken.label} (${broken.size})`,
      ratio(broken.median.p50, fixed.median.p50),
      String(Math.round(broken.median.p99)),
      fixed.median.p99.toFixed(1),
      ratio(broken.median.p99, fixed.median.p99),
      ratio(fixed.median.rps, broken.median.rps),
      ratio(fixed.median.p99, fixed.floor!.p99),
    ]);
  });

  it('lines up query counts per size for each variant with their growth', () => {
    const run = fixture();
    const markdown = renderMarkdown(run);
    const section = markdown.slice(markdown.indexOf('### Queries by data size'), markdown.indexOf('## summary-n-plus-one'));
    const broken = resultOf(run, 'summary-n-plus-one', 'broken').evidence.scaling[0]!;
    const fixed = resultOf(run, 'summary-n-plus-one', 'fixed').evidence.scaling[0]!;
    broken.points.forEach((point, i) => {
      const [row] = tableRowsStartingWith(section, point.label);
      expect(row).to.deep.equal([point.label, String(point.queries), String(fixed.points[i]!.queries)]);
    });
    expect(tableRowsStartingWith(section, '**growth**')[0]).to.deep.equal(['**growth**', '**grows**', '**constant**']);
  });

  it('keeps an ERROR\'s stack readable below its first line', () => {
    const run = fixture();
    resultOf(run, 'soft-delete', 'fixed').reason = 'socket hang up\n    at connResetException (node:internal/errors:720:14)';
    const markdown = renderMarkdown(run);
    expect(markdown).to.include('**ERROR**: socket hang up (took 120 ms)\n\n```text\n    at connResetException');
  });

  it('tells how to settle an INCONCLUSIVE verdict', () => {
    const markdown = renderMarkdown(fixture());
    expect(markdown).to.include('settle with `--db postgres`');
  });

  it('renders load rounds, race trials, query shapes and caveats', () => {
    const run = fixture();
    const markdown = renderMarkdown(run);
    const rounds = resultOf(run, 'summary-n-plus-one', 'broken').evidence.load[0]!.rounds.map((r) => r.p99);
    expect(markdown).to.include(`3 rounds, p99 across rounds ${Math.round(Math.min(...rounds))}–${Math.round(Math.max(...rounds))} ms`);
    const [conserved] = tableRowsStartingWith(markdown, 'Trial');
    expect(conserved).to.include('Conserved');
    expect(markdown).to.match(/\| 1 \| 5 \| 20 \| 5 \| 15 \| 0 \| 5 \| 0 \| 0 \| yes \|/);
    expect(markdown).to.include('> - pg-mem latency is not PostgreSQL\'s: query counts are the evidence here');
    expect(markdown).to.include('  - 30 × `select "orders"."id"');
    expect(markdown).to.include('… and 1 more shape\n');
    const shapeLine = markdown.split('\n').find((line) => line.includes('30 × `'))!;
    expect(shapeLine.slice(shapeLine.indexOf('`') + 1, shapeLine.lastIndexOf('`')).length).to.be.at.most(160);
  });

  it('renders every result the run has, with the notes it is given under the title and under a scenario', () => {
    const run = fixture();
    const plain = renderMarkdown(run);
    expect(plain).to.include('## soft-delete');
    expect(plain).to.include('Deleted products still show up');
    const noted = renderMarkdown(run, { note: '_A note._', scenarioNotes: { 'soft-delete': '_About soft-delete._' } });
    expect(noted).to.include('# Regression Lab report: pg-mem\n\n_A note._\n\n- **Date:**');
    expect(noted.slice(noted.indexOf('## soft-delete'))).to.match(/^## soft-delete\n\n\*\*.*\*\*\n\nTeaches: .*\n\n_About soft-delete._\n\n### /);
    expect(noted.replace('_A note._\n\n', '').replace('_About soft-delete._\n\n', '')).to.equal(plain);
  });

  it('compares the configured original and reference when both ran, else the first two variants', () => {
    const run = fixture();
    expect(renderMarkdown(run)).to.include('## Broken -> fixed');
    run.header.variants = ['fixed', 'broken'];
    expect(renderMarkdown(run)).to.include('## Broken -> fixed');
    const renamed = { ...run, header: { ...run.header, variants: ['before', 'after'] }, results: run.results.map((r) => ({ ...r, variant: r.variant === 'broken' ? 'before' : 'after' })) };
    expect(renderMarkdown(renamed)).to.include('## Before -> after');
  });

  it('escapes pipes so every table row keeps its columns', () => {
    const markdown = renderMarkdown(fixture());
    expect(markdown).to.include('`/api/orders?status=pending\\|paid`');
    expect(markdown).to.include('| pending\\|paid | 12 |');
    const lines = markdown.split('\n');
    lines.forEach((line, i) => {
      if (!line.startsWith('|') || lines[i - 1]?.startsWith('|')) return;
      const width = cells(line).length;
      for (let j = i + 1; lines[j]?.startsWith('|'); j++) expect(cells(lines[j]!), lines[j]).to.have.length(width);
    });
  });

  it('caps the requests table at 30 rows and says how many were left out', () => {
    const run = fixture();
    const requests = resultOf(run, 'concurrent-oversell', 'fixed').evidence.requests;
    for (let i = 0; i < 35; i++) requests.push({ method: 'POST', path: `/api/orders/${i}`, status: 201, ms: 3 });
    const markdown = renderMarkdown(run);
    expect(markdown).to.include('`/api/orders/29`');
    expect(markdown).not.to.include('`/api/orders/30`');
    expect(markdown).to.include('_5 more requests omitted._');
  });

  it('formats milliseconds, rps and ratios as the report promises', () => {
    const markdown = renderMarkdown(fixture());
    const [brokenLoad] = tableRowsStartingWith(markdown, 'summary');
    // harness/report/format.ts: p50 120.4 -> 120, p99 412.7 -> 413; under 100, ms and rps keep one decimal.
    expect(brokenLoad!.slice(2, 7)).to.deep.equal(['120', '300', '413', '520', '83.2']);
    expect(markdown).to.include('| GET | `/api/customers/summary` | 200 | 31 | 48.3 |');
    // Thousands are grouped: the fixed variant's 1211.4 req/s and 6053 requests.
    const [, fixedLoad] = tableRowsStartingWith(markdown, 'summary');
    expect(fixedLoad!.slice(6, 8)).to.deep.equal(['1,211', '6,053']);
    expect(markdown).to.include('| [summary-n-plus-one](#summary-n-plus-one) | summary (30 customers) | 14.5x | 413 | 38.2 | 10.8x | 14.6x | 4.2x |');
    expect(markdown).to.include('1. Load a shop with 30 customers (412 ms)');
  });

  it('never prints undefined or NaN, even for sparse or odd results', () => {
    const run = fixture();
    const sparse = resultOf(run, 'summary-n-plus-one', 'fixed');
    delete sparse.evidence.load[0]!.floor;
    sparse.evidence.load[0]!.rounds = [];
    sparse.evidence.load[0]!.median.p99 = Number.NaN;
    sparse.evidence.requests.push({ method: 'GET', path: '/x', status: 500, ms: Number.NaN });
    sparse.evidence.observations.push({ label: 'nothing', value: null });
    delete (sparse as Partial<ScenarioResult>).steps;
    delete (run.results[2]!.evidence as Partial<ScenarioResult['evidence']>).caveats;
    run.scenarios.push('not-yet-run');
    expect(renderMarkdown(run)).not.to.match(/undefined|NaN|Infinity/);
    expect(renderMarkdown(run)).to.include('## not-yet-run\n\n_Not run._');
  });
});

describe('report charts (mermaid xychart-beta)', () => {
  const oneDecimal = (value: number) => Math.round(value * 10) / 10;

  /** The fixture with its variants renamed (and a third added), as a review's candidate would be. */
  function renamed(names: Record<string, string>, third?: string): RunResult {
    const run = fixture();
    const extra = third ? run.results.filter((r) => r.variant === 'fixed').map((r) => ({ ...structuredClone(r), variant: third })) : [];
    for (const result of run.results) result.variant = names[result.variant] ?? result.variant;
    run.results.push(...extra);
    run.header.variants = [...run.header.variants.map((v) => names[v] ?? v), ...(third ? [third] : [])];
    return run;
  }

  it('draws queries by data size, one line per variant, from the scaling numbers', () => {
    const run = fixture();
    const markdown = renderMarkdown(run);
    const scalings = run.header.variants.map((variant) => resultOf(run, 'summary-n-plus-one', variant).evidence.scaling[0]!);
    const chart = chartTitled(markdown, `summary-n-plus-one: ${scalings[0]!.title}`);
    expect(chart.categories).to.deep.equal(scalings[0]!.points.map((p) => p.label));
    expect(chart.series).to.deep.equal(scalings.map((scaling) => ({ kind: 'line', values: scaling.points.map((p) => p.queries) })));
    expect(chart).to.include({ xTitle: 'data size', yTitle: 'queries per request' });
    expect(markdown).to.contain('_Chart: one line per variant, in this order: `broken`, `fixed`._');
    // Drawn from 0, up to the largest value.
    expect(mermaidBlocks(markdown).find((b) => b.includes(scalings[0]!.title))).to.contain(`0 --> ${Math.max(...scalings.flatMap((sc) => sc.points.map((p) => p.queries)))}`);
  });

  it('draws p50 and p99 under load, one bar per variant and percentile', () => {
    const run = fixture();
    const loads = run.header.variants.map((variant) => resultOf(run, 'summary-n-plus-one', variant).evidence.load[0]!);
    const chart = chartTitled(renderMarkdown(run), `summary-n-plus-one: ${loads[0]!.label} (${loads[0]!.size}), ms`);
    expect(chart.categories).to.deep.equal(['broken p50', 'broken p99', 'fixed p50', 'fixed p99']);
    expect(chart.series).to.deep.equal([{ kind: 'bar', values: loads.flatMap((m) => [m.median.p50, m.median.p99].map(oneDecimal)) }]);
    expect(chart.yTitle).to.equal('latency (ms)');
    // Two charts in all: the fixture's one scaling table and its one load measurement.
    expect(mermaidBlocks(renderMarkdown(run))).to.have.length(2);
  });

  it('charts whatever variants the run has, in its order, with labels mermaid can hold', () => {
    const run = renamed({ broken: 'before "v1"', fixed: 'cand`idate' }, 'after');
    const markdown = renderMarkdown(run);
    const scaling = chartTitled(markdown, 'summary-n-plus-one: GET /api/customers/summary');
    expect(scaling.series).to.have.length(3);
    expect(markdown).to.contain('in this order: `before "v1"`, `` cand`idate ``, `after`._');
    const load = chartTitled(markdown, 'summary-n-plus-one: summary (30 customers), ms');
    expect(load.categories).to.deep.equal(["before 'v1' p50", "before 'v1' p99", "cand'idate p50", "cand'idate p99", 'after p50', 'after p99']);
    for (const block of mermaidBlocks(markdown)) expect(block).not.to.contain('`');
  });

  it('leaves out what was not measured instead of drawing it as 0', () => {
    const run = fixture();
    const fixed = resultOf(run, 'summary-n-plus-one', 'fixed');
    fixed.evidence.scaling[0]!.points.splice(1, 1); // no point at the middle size
    delete (fixed.evidence.load[0]!.median as Partial<typeof fixed.evidence.load[0]['median']>).p99;
    const markdown = renderMarkdown(run);
    const scaling = chartTitled(markdown, 'summary-n-plus-one: GET /api/customers/summary');
    expect(scaling.categories).to.deep.equal(['3 customers', '30 customers']);
    expect(scaling.series.map((s) => s.values)).to.deep.equal([[4, 31], [2, 2]]);
    expect(chartTitled(markdown, 'summary-n-plus-one: summary (30 customers), ms').categories).to.deep.equal(['broken p50', 'broken p99']);
  });
});

describe('report files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'regression-lab-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON and its markdown, creating the directory, and reads the JSON back', () => {
    const run = fixture();
    const target = join(dir, 'reports', 'nested');
    const written = writeReport(target, 'pg-mem-all', run);
    expect(written).to.deep.equal({ json: join(target, 'pg-mem-all.json'), markdown: join(target, 'pg-mem-all.md') });
    expect(readFileSync(written.markdown, 'utf8')).to.equal(renderMarkdown(run));
    expect(readReport(written.json)).to.deep.equal(run);
    expect(readdirSync(target).sort()).to.deep.equal(['pg-mem-all.json', 'pg-mem-all.md']);
  });

  it('replaces an earlier report of the same name', () => {
    const run = fixture();
    writeReport(dir, 'r', { ...run, complete: false });
    writeReport(dir, 'r', run);
    expect(readReport(join(dir, 'r.json')).complete).to.equal(true);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).not.to.include('interrupted');
  });

  it('rejects a report name that is a path', () => {
    expect(() => writeReport(dir, '../escape', fixture())).to.throw(/plain file name/);
    expect(existsSync(join(dir, '..', 'escape.json'))).to.equal(false);
  });

  it('rejects JSON that is not a report, and a file that is not JSON, with a clear message', () => {
    const other = join(dir, 'package.json');
    writeFileSync(other, JSON.stringify({ name: 'something-else', version: '1.0.0' }));
    expect(() => readReport(other)).to.throw(`${other} is not a Regression Lab report: missing "header"`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "header": ');
    expect(() => readReport(broken)).to.throw(/is not a Regression Lab report: not valid JSON/);
    const badVerdict = fixture();
    (badVerdict.results[0] as { verdict: string }).verdict = 'MAYBE';
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(badVerdict));
    expect(() => readReport(bad)).to.throw(/results\[0\]: unknown verdict "MAYBE"/);
  });
});

describe('report header', () => {
  it('quotes the reproducing command so it pastes into a shell unchanged', () => {
    expect(reproduceCommand(['summary-n-plus-one', '--db', 'pg-mem'])).to.equal('npm run scenario -- summary-n-plus-one --db pg-mem');
    expect(reproduceCommand(['--url', "postgres://u:p@h/db?x=1&y='2'"])).to.equal(
      `npm run scenario -- --url 'postgres://u:p@h/db?x=1&y='\\''2'\\'''`,
    );
    expect(reproduceCommand(['a b', ''])).to.equal(`npm run scenario -- 'a b' ''`);
  });

  it('records the machine, the code and the options', async () => {
    const header = await collectHeader({
      backend: 'pg-mem',
      databaseVersion: 'pg-mem 3.0.14',
      variants: ['broken', 'fixed'],
      scale: 'small',
      seed: 7,
      duration: 5,
      connections: 10,
      trials: 3,
      argv: ['all', '--seed', '7'],
    });
    expect(header.node).to.equal(process.version);
    expect(header.cores).to.be.greaterThan(0);
    expect(new Date(header.date).toISOString()).to.equal(header.date);
    expect(header.commit).to.match(/^([0-9a-f]{7,}(-dirty)?|unknown)$/);
    expect(header.command).to.equal('npm run scenario -- all --seed 7');
    expect(header).to.include({ backend: 'pg-mem', seed: 7, scale: 'small', trials: 3 });
  });

  it('calls the commit dirty for changed tracked code only, and names the files', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'git-state-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' }).trim();
    const write = (path: string, body: string) => {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), body);
    };
    const header = () => collectHeader({ backend: 'pg-mem', variants: [], scale: 'small', seed: 1, duration: 1, connections: 1, trials: 1, argv: [], cwd: repo });
    try {
      git('init', '-q');
      write('variants/app/orders.ts', 'export {};\n');
      write('reports/before-summary.md', '# before\n');
      git('add', '-A');
      git('commit', '-q', '-m', 'start');
      const hash = git('rev-parse', '--short', 'HEAD');
      // What a candidate has after a "before" run and some notes: new reports, an edited one, scratch files.
      write('reports/after-summary.md', '# after\n');
      write('reports/before-summary.md', '# before, annotated\n');
      write('notes.txt', 'todo\n');
      const clean = await header();
      expect(clean.commit).to.equal(hash);
      expect(clean).not.to.have.property('uncommitted');
      write('variants/app/orders.ts', 'export const changed = true;\n');
      write('test/summary.test.ts', 'export {};\n');
      git('add', 'test/summary.test.ts');
      const dirty = await header();
      expect(dirty.commit).to.equal(`${hash}-dirty`);
      expect(dirty.uncommitted).to.deep.equal(['test/summary.test.ts', 'variants/app/orders.ts']);
      const run = fixture();
      run.header = { ...run.header, ...dirty };
      expect(renderMarkdown(run)).to.contain(`- **Commit:** \`${hash}-dirty\`, uncommitted changes to \`test/summary.test.ts\`, \`variants/app/orders.ts\`\n`);
      run.header.uncommitted = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
      expect(renderMarkdown(run)).to.contain('uncommitted changes to `a`, `b`, `c`, `d`, `e` and 2 more files\n');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('says unknown when there is no git repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'no-git-'));
    try {
      const header = await collectHeader({
        backend: 'pg-mem', variants: [], scale: 'small', seed: 1, duration: 1, connections: 1, trials: 1, argv: [], cwd: outside,
      });
      expect(header.commit).to.equal('unknown');
      expect(header.databaseVersion).to.equal('unknown');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
