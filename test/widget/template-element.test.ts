/**
 * `TemplateElement`, the base of every element in the frame: the part of LitElement's behaviour the screens rely on,
 * checked on a small element of its own in the browser — properties and attributes, one batched update, what
 * `shouldUpdate`, `willUpdate`, `firstUpdated` and `updated` see, reflection, styles, and an update that throws.
 */
import { html } from 'lit/html.js';
import { TemplateElement, type PropertyValues } from '../../widget/frame/template-element.ts';
import { css } from '../../widget/frame/theme/css.ts';
import { deepEqual, equal, ok } from './support/assert.ts';
import { cleanup, mount } from './support/dom.ts';

class TestTemplate extends TemplateElement {
  static override properties = {
    label: {},
    on: { type: Boolean, reflect: true },
    mode: { reflect: true, attribute: 'data-mode' },
    data: { attribute: false },
    inner: { state: true },
  };

  static override styles = [css`:host { display: block; } p { color: rgb(1, 2, 3); }`];

  label = 'first';
  on = false;
  mode = 'plain';
  data: unknown = null;
  inner = 0;

  renders = 0;
  skip = false;
  fail = false;
  seen: { hook: string; changed: Record<string, unknown> }[] = [];

  override shouldUpdate(_changed: PropertyValues) {
    return !this.skip;
  }

  override willUpdate(changed: PropertyValues) {
    this.seen.push({ hook: 'willUpdate', changed: Object.fromEntries(changed) });
  }

  override firstUpdated(changed: PropertyValues) {
    this.seen.push({ hook: 'firstUpdated', changed: Object.fromEntries(changed) });
  }

  override updated(changed: PropertyValues) {
    this.seen.push({ hook: 'updated', changed: Object.fromEntries(changed) });
  }

  override render() {
    this.renders++;
    if (this.fail) throw new Error('render failed');
    return html`<p @click=${this.onClick}>${this.label} ${this.inner}</p>`;
  }

  private onClick() {
    this.inner++;
  }
}
customElements.define('test-template', TestTemplate);

const text = (el: TestTemplate) => el.shadowRoot!.querySelector('p')!.textContent;

describe('TemplateElement', () => {
  afterEach(cleanup);

  it('renders once it is connected, with every initial value in one update', async () => {
    const el = new TestTemplate();
    el.label = 'set before connecting';
    await new Promise((r) => setTimeout(r, 20));
    equal(el.renders, 0, 'nothing drawn while disconnected');
    equal(el.hasUpdated, false);
    await mount(el);
    equal(el.renders, 1);
    equal(el.hasUpdated, true);
    equal(text(el), 'set before connecting 0');
    deepEqual(
      el.seen.map((s) => s.hook),
      ['willUpdate', 'firstUpdated', 'updated'],
    );
    const first = el.seen[0].changed;
    deepEqual(Object.keys(first), ['label', 'on', 'mode', 'data', 'inner'], 'every initial value is a change');
    ok(Object.values(first).every((old) => old === undefined), 'from undefined');
  });

  it('batches the changes of one task into one render and hands their old values to the hooks', async () => {
    const el = await mount(new TestTemplate());
    el.seen = [];
    el.label = 'second';
    el.label = 'third';
    el.data = { a: 1 };
    el.on = false; // unchanged: not an update
    equal(el.renders, 1, 'not yet: the update waits for a microtask');
    equal(await el.updateComplete, true, 'nothing else pending');
    equal(el.renders, 2);
    equal(text(el), 'third 0');
    deepEqual(el.seen, [
      { hook: 'willUpdate', changed: { label: 'first', data: null } },
      { hook: 'updated', changed: { label: 'first', data: null } },
    ]);
  });

  it('takes attributes into properties (text and booleans) and writes reflected ones back', async () => {
    const el = await mount(new TestTemplate());
    equal(el.getAttribute('data-mode'), 'plain', 'an initial value is reflected');
    equal(el.hasAttribute('on'), false);
    el.setAttribute('label', 'from the attribute');
    el.setAttribute('on', '');
    await el.updateComplete;
    equal(el.label, 'from the attribute');
    equal(el.on, true);
    equal(text(el), 'from the attribute 0');
    el.on = false;
    el.mode = 'compact';
    await el.updateComplete;
    equal(el.hasAttribute('on'), false);
    equal(el.getAttribute('data-mode'), 'compact');
    deepEqual(TestTemplate.observedAttributes, ['label', 'on', 'data-mode'], 'no attribute for `attribute: false` or state');
  });

  it('drops an update shouldUpdate refuses, but still reflects its properties at the next render', async () => {
    const el = await mount(new TestTemplate());
    el.skip = true;
    el.mode = 'compact';
    el.label = 'skipped';
    await el.updateComplete;
    equal(el.renders, 1, 'not drawn');
    equal(el.getAttribute('data-mode'), 'plain', 'not reflected while skipped');
    el.skip = false;
    el.seen = [];
    el.inner = 5;
    await el.updateComplete;
    equal(el.renders, 2);
    equal(text(el), 'skipped 5', 'the render reads the current values');
    deepEqual(el.seen[0].changed, { inner: 0 }, 'the skipped changes are not handed on');
    equal(el.getAttribute('data-mode'), 'compact', 'the skipped reflection is done now');
  });

  it('binds event listeners to the element, and a change they make updates it', async () => {
    const el = await mount(new TestTemplate());
    el.shadowRoot!.querySelector('p')!.click();
    await el.updateComplete;
    equal(el.inner, 1);
    equal(text(el), 'first 1');
  });

  it('adopts its constructed style sheets', async () => {
    const el = await mount(new TestTemplate());
    ok(el.shadowRoot!.adoptedStyleSheets[0] instanceof CSSStyleSheet);
    equal(getComputedStyle(el.shadowRoot!.querySelector('p')!).color, 'rgb(1, 2, 3)');
  });

  it('rejects updateComplete for an update that throws, and keeps updating after it', async () => {
    const el = await mount(new TestTemplate());
    el.fail = true;
    el.label = 'broken';
    let failed: unknown;
    await el.updateComplete.catch((error: unknown) => (failed = error));
    ok(failed instanceof Error && failed.message === 'render failed', `expected the render's error, got ${String(failed)}`);
    el.fail = false;
    el.label = 'mended';
    await el.updateComplete;
    equal(text(el), 'mended 0');
  });
});
