// Small DOM helpers for the page: plain DOM, no framework, and nothing here is trusted HTML (text
// goes in as text nodes, attributes as attributes).

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attributes = Record<string, string | number | boolean | null | undefined>;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The element the page's HTML promises; a missing one is a bug in index.html, said by name. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no element #${id}`);
  return node as T;
}

/** Children as nodes and text, nested lists flattened; null, undefined and false left out. */
function nodesOf(children: Child[]): (Node | string)[] {
  return children.flatMap((child): (Node | string)[] => {
    if (Array.isArray(child)) return nodesOf(child);
    if (child === undefined || child === null || child === false) return [];
    return [child instanceof Node ? child : String(child)];
  });
}

function fill<T extends Element>(node: T, attrs: Attributes | undefined, children: Child[]): T {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...nodesOf(children));
  return node;
}

/** el('p', { class: 'x' }, 'text', child…): attributes set as attributes, children as text or nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attributes, ...children: Child[]): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attributes, ...children: Child[]): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** good (behaves correctly), bad (a bug showed), error (the request failed), info. */
export type MessageKind = 'good' | 'bad' | 'error' | 'info';

export function message(kind: MessageKind, text: string, testId?: string): HTMLParagraphElement {
  return el('p', { class: `message message-${kind}`, 'data-kind': kind, 'data-testid': testId }, text);
}

export function show(container: Element, ...nodes: Child[]): void {
  container.replaceChildren(...nodesOf(nodes));
}

export function rawJson(data: unknown, label = 'Raw JSON'): HTMLDetailsElement {
  return el('details', { class: 'raw' }, el('summary', {}, label), el('pre', { tabindex: '0' }, JSON.stringify(data, null, 2)));
}

export interface Stat {
  key: string;
  label: string;
  value: string | number;
  tone?: 'bad' | null;
}

export function stats(items: Stat[]): HTMLDListElement {
  return el(
    'dl',
    { class: 'stats' },
    items.map(({ key, label, value, tone }) =>
      el('div', { class: tone ? `stat stat-${tone}` : 'stat' }, el('dt', {}, label), el('dd', { 'data-stat': key }, value)),
    ),
  );
}

export function table(caption: string, columns: string[], rows: Child[][], { numeric = [] as number[] } = {}): HTMLDivElement {
  return el(
    'div',
    { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    el(
      'table',
      {},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, columns.map((c, i) => el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, c)))),
      el('tbody', {}, rows.map((row) => el('tr', {}, row.map((cell, i) => el('td', { class: numeric.includes(i) ? 'num' : null }, cell))))),
    ),
  );
}

/** A table cell's main text with a quieter second line under it (keeps tables narrow on phones). */
export function twoLines(main: Child, second: Child): HTMLSpanElement {
  return el('span', { class: 'two-lines' }, el('span', {}, main), el('span', { class: 'second' }, second));
}

/** An email that may wrap before its @ rather than in the middle of a word. */
export function email(address: string): Child {
  const at = address.indexOf('@');
  return at > 0 ? el('span', {}, address.slice(0, at), el('wbr'), address.slice(at)) : address;
}
