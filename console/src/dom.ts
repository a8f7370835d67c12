/** Small DOM helpers: the console builds its views from these, with no framework. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

function apply(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
}

function append(el: Element, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "number" ? String(c) : c);
  }
}

/** An HTML element; attributes starting with `on` are listeners. Text is never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element (charts): attributes only, never inline styles, so the CSP can forbid them. */
export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** Replaces the children of `el`. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Announces a short message to screen readers (the polite live region in index.html). */
export function announce(message: string): void {
  const region = document.getElementById("status");
  if (region) region.textContent = message;
}

/** A labelled form field: the label, the control, a hint and the place for its validation message. */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  options: { path?: string; hint?: string } = {},
): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const describedBy: string[] = [];
  const hint = options.hint ? h("span", { class: "hint", id: `${id}-hint` }, options.hint) : null;
  if (hint) describedBy.push(hint.id);
  const error = h("span", { class: "error", id: `${id}-error`, "data-error-for": options.path ?? "" });
  describedBy.push(error.id);
  control.setAttribute("aria-describedby", describedBy.join(" "));
  if (options.path) control.dataset["path"] = options.path;
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint, error);
}

/** "1 shopper", "2 shoppers", "0 shoppers": a count with its noun agreeing (English plural). */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

export function fmtPercent(rate: number | null): string {
  return rate === null ? "—" : `${(rate * 100).toFixed(1)} %`;
}
