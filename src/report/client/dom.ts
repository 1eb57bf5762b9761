/**
 * The only way the page makes elements. Text goes in through textContent and attributes through
 * setAttribute, never through an HTML parser, so a hostile user name or tag stays text.
 */

export type Child = Node | string | number | null | undefined | false;

type Handlers = { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void };

export interface Props {
  class?: string;
  text?: string | number | null;
  /** Event listeners by event name. */
  on?: Handlers;
  /** Any other attribute; null and undefined leave it out. */
  [attribute: string]: string | number | null | undefined | Handlers;
}

function listen(element: HTMLElement, handlers: Handlers): void {
  for (const [name, handler] of Object.entries(handlers)) {
    if (handler) element.addEventListener(name, handler as EventListener);
  }
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined) continue;
    if (name === 'on') listen(element, value as Handlers);
    else if (name === 'class') element.className = String(value);
    else if (name === 'text') element.textContent = String(value);
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(
  tag: string,
  attributes: Record<string, string | number>,
  children: readonly Node[] = [],
  text?: string,
): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.appendChild(child);
  if (text !== undefined) element.textContent = text;
  return element;
}
