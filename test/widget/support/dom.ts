/** DOM helpers for component tests: mount, find by accessible label, and a baseline accessibility check. */
import type { LitElement } from 'lit';
import { AssertionError } from './assert.ts';

const mounted: Element[] = [];

export async function mount<T extends LitElement>(element: T): Promise<T> {
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
