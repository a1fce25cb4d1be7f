/** DOM helpers for component tests: mount, find by accessible label, and a baseline accessibility check. */
import { AssertionError } from './assert.ts';

const mounted: Element[] = [];

/** A rendered element of the frame: a `LitElement` (later screens) or a `TemplateElement` (the first screen's). */
export type UpdatingElement = HTMLElement & { readonly updateComplete: Promise<unknown> };

export async function mount<T extends UpdatingElement>(element: T): Promise<T> {
  document.body.append(element);
  mounted.push(element);
  await element.updateComplete;
  return element;
}

export function cleanup(): void {
  for (const element of mounted.splice(0)) element.remove();
}

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function byIds(root: ShadowRoot | Document, ids: string | null): string {
  return (ids ?? '').split(/\s+/).filter(Boolean).map((id) => text(root.getElementById(id))).join(' ').trim();
}

/** A good-enough accessible name: aria-labelledby, aria-label, <label>s, then text content for buttons. */
export function accessibleName(el: Element): string {
  const root = el.getRootNode() as ShadowRoot | Document;
  const labelledBy = byIds(root, el.getAttribute('aria-labelledby'));
  if (labelledBy) return labelledBy;
  const label = el.getAttribute('aria-label')?.trim();
  if (label) return label;
  const labels = (el as HTMLInputElement).labels;
  if (labels?.length) return [...labels].map(text).join(' ');
  return el.localName === 'button' ? text(el) : '';
}

/** The error text an element points at with aria-describedby. */
export function description(el: Element): string {
  return byIds(el.getRootNode() as ShadowRoot, el.getAttribute('aria-describedby'));
}

/** Every shadow root inside `host` (itself included), depth first. */
function roots(host: Element): ShadowRoot[] {
  const out: ShadowRoot[] = [];
  const visit = (el: Element) => {
    if (el.shadowRoot) {
      out.push(el.shadowRoot);
      el.shadowRoot.querySelectorAll('*').forEach(visit);
    }
  };
  visit(host);
  return out;
}

/** The first control inside `host` (across shadow roots) whose accessible name starts with `name`. */
export function byLabel<T extends HTMLElement = HTMLInputElement>(host: Element, name: string | RegExp, selector = 'input,select,textarea'): T {
  for (const root of roots(host)) {
    for (const el of root.querySelectorAll<T>(selector)) {
      const n = accessibleName(el);
      if (typeof name === 'string' ? n === name || n.startsWith(name) : name.test(n)) return el;
    }
  }
  throw new AssertionError(`no control labelled ${name}`);
}

export function byRole<T extends HTMLElement = HTMLButtonElement>(host: Element, role: 'button' | 'radio' | 'radiogroup', name?: string | RegExp): T {
  const selector = { button: 'button', radio: 'input[type=radio]', radiogroup: '[role=radiogroup]' }[role];
  for (const root of roots(host)) {
    for (const el of root.querySelectorAll<T>(selector)) {
      const n = accessibleName(el);
      if (name === undefined || (typeof name === 'string' ? n === name : name.test(n))) return el;
    }
  }
  throw new AssertionError(`no ${role} named ${name}`);
}

/** Baseline check that opens every component test: every form control has an accessible name, every button text. */
export function assertAccessible(host: Element): void {
  const problems: string[] = [];
  for (const root of roots(host)) {
    for (const el of root.querySelectorAll('input,select,textarea,button,[role=radiogroup],img')) {
      if (el.localName === 'img') {
        if (!el.hasAttribute('alt')) problems.push('an <img> without alt');
        continue;
      }
      if (!accessibleName(el)) problems.push(`<${el.localName}${el.id ? `#${el.id}` : ''}> has no accessible name`);
      const described = el.getAttribute('aria-describedby');
      for (const id of described?.split(/\s+/) ?? []) if (!root.getElementById(id)) problems.push(`aria-describedby points at missing #${id}`);
    }
  }
  if (problems.length) throw new AssertionError(`accessibility: ${problems.join('; ')}`);
}

/** Sets an input's value the way typing would (fires `input`). */
export function type(input: HTMLInputElement, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

export function activeElement(host: Element): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/**
 * The button named `name` once it can be pressed: enabled and not `aria-disabled` — Pay is not, for a moment after it
 * appears or the frame moves (`VisibilityGuard`), as a shopper would not press it that fast either. Up to 3 s.
 */
export async function pressable(host: Element, name: string | RegExp): Promise<HTMLButtonElement> {
  for (let i = 0; i < 300; i++) {
    try {
      const button = byRole(host, 'button', name);
      if (!button.disabled && button.getAttribute('aria-disabled') !== 'true') return button;
    } catch {
      // Not rendered yet.
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new AssertionError(`expected the button ${name} to become pressable within 3 s, it did not`);
}

/** Where a screen is mounted by `mountScreen`: a `<main>` landmark, as in the wallet, with its padding. */
export interface ScreenOptions {
  /** `lang` of the document (default `en`). */
  lang?: string;
  /** The document title, as the wallet sets it per screen (default "Paykey wallet"). */
  title?: string;
  dir?: 'ltr' | 'rtl';
  /** The wallet's larger-text mode (`larger-text` on the wallet host; here on the wrapper's host element). */
  largerText?: boolean;
}

/**
 * Mounts a screen as the wallet shows it: inside `<main>` (so axe's landmark rules see what the frame has), with the
 * wallet's 16 px padding, in the document's `lang` and `dir`. `largerText` sets the attribute on the screen itself,
 * which `shared-styles.ts` reads the same way as on the wallet.
 */
export async function mountScreen<T extends UpdatingElement>(element: T, o: ScreenOptions = {}): Promise<T> {
  document.documentElement.lang = o.lang ?? 'en';
  document.documentElement.dir = o.dir ?? 'ltr';
  document.title = o.title ?? 'Paykey wallet';
  const main = document.createElement('main');
  main.style.padding = '16px';
  if (o.largerText) element.setAttribute('larger-text', '');
  main.append(element);
  document.body.append(main);
  mounted.push(main);
  await element.updateComplete;
  return element;
}

/** Every element inside `host`, through open shadow roots (slots' light DOM included), depth first. */
export function allElements(host: Element): Element[] {
  const out: Element[] = [];
  const visit = (el: Element) => {
    out.push(el);
    if (el.shadowRoot) for (const child of el.shadowRoot.children) visit(child);
    for (const child of el.children) visit(child);
  };
  visit(host);
  return out;
}

const describe_ = (el: Element) => `<${el.localName}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().replace(/\s+/g, '.')}` : ''}>`;

/**
 * What sticks out sideways: every rendered element inside `host` whose box goes past the viewport's left or right
 * edge, and the document when it can scroll horizontally. Empty when the screen fits.
 */
export function horizontalOverflow(host: Element): string[] {
  const width = document.documentElement.clientWidth;
  const problems: string[] = [];
  if (document.documentElement.scrollWidth > width) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px wide in ${width} px)`);
  for (const el of allElements(host)) {
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.left < -0.5 || r.right > width + 0.5) problems.push(`${describe_(el)} spans ${Math.round(r.left)}–${Math.round(r.right)} px`);
  }
  return problems;
}

/**
 * Pointer targets smaller than `min`×`min` CSS px: buttons, text inputs, links and checkbox rows (`label.check`,
 * whose whole row toggles the checkbox; the box inside it is not measured alone).
 */
export function smallTargets(host: Element, min = 44): string[] {
  const problems: string[] = [];
  for (const el of allElements(host)) {
    const target =
      el.localName === 'button' ||
      el.localName === 'a' ||
      el.localName === 'select' ||
      (el.localName === 'input' && !['checkbox', 'radio', 'hidden'].includes((el as HTMLInputElement).type)) ||
      (el.localName === 'label' && el.classList.contains('check'));
    if (!target) continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.width < min - 0.01 || r.height < min - 0.01) problems.push(`${describe_(el)} "${text(el)}" is ${r.width.toFixed(1)}×${r.height.toFixed(1)} px`);
  }
  return problems;
}
