import { render } from 'lit/html.js';

/** How a reactive property of a `TemplateElement` is declared (the subset of Lit's `PropertyDeclaration` it reads). */
export interface PropertyOptions {
  /** The attribute it follows: its lower-cased name unless named here; none for `false` (nor for `state`). */
  attribute?: string | boolean;
  /** `Boolean`: the attribute's presence is the value. Otherwise the attribute's text is. */
  type?: BooleanConstructor;
  /** Written back to its attribute on every update. */
  reflect?: boolean;
  /** Internal state: it updates the element, and has no attribute. */
  state?: boolean;
}

/** The properties changed since the last update, with their values before it (Lit's `PropertyValues`). */
export type PropertyValues = Map<PropertyKey, unknown>;

/** The attribute a property follows (when it has one). */
function attributeOf(name: string, options: PropertyOptions): string {
  return typeof options.attribute === 'string' ? options.attribute : name.toLowerCase();
}

/** The attribute each class observes, per property (filled when the class is defined). */
const attributesOf = new WeakMap<object, Map<string, string>>();

/**
 * The base of every element in the wallet frame: a custom element that renders a Lit template (`lit/html.js`) into its
 * shadow root, with the part of `LitElement` the screens use, meaning the same: reactive `properties` (attributes,
 * booleans, reflection, state), constructed `styles`, an update batched into one microtask once connected,
 * `shouldUpdate`, `willUpdate`, `firstUpdated` and `updated` with the changed properties' old values, `hasUpdated` and
 * `updateComplete`. What it leaves out no screen uses: controllers, `static shadowRootOptions`, property converters,
 * `hasChanged`, browsers without constructed style sheets, and a property set on an element before its class was
 * defined (Lit moves such a value onto its accessor at the upgrade; here it would hide the accessor): every screen's
 * code is loaded before the flow shows the screen (`CheckoutFlow.loadScreen`), and the offers' element before the
 * offers are set (`CardCheckout.loadOfferKeeper`). Lit's templates, directives and renderer stay; its
 * element base (`@lit/reactive-element`, `lit-element`, with `css`: about 2.5 KB compressed) never ships.
 *
 * Class fields must be compiled as assignments (`useDefineForClassFields: false` in tsconfig.json, as Lit also asks),
 * so that a subclass's field initialiser goes through the property's accessor rather than hiding it.
 */
export abstract class TemplateElement extends HTMLElement {
  static properties: Record<string, PropertyOptions> = {};
  /** Adopted by the shadow root, in order (`css` in `theme/css.ts` builds them). */
  static styles: CSSStyleSheet[] = [];

  /** Read once, when the class is defined: installs each property's accessor and lists the attributes. */
  static get observedAttributes(): string[] {
    let attributes = attributesOf.get(this);
    if (!attributes) {
      attributes = new Map();
      for (const [name, options] of Object.entries(this.properties)) {
        Object.defineProperty(this.prototype, name, {
          get(this: TemplateElement) {
            return this.values.get(name);
          },
          set(this: TemplateElement, value: unknown) {
            const old = this.values.get(name);
            this.values.set(name, value);
            this.requestUpdate(name, old);
          },
          configurable: true,
        });
        if (!options.state && options.attribute !== false) attributes.set(attributeOf(name, options), name);
      }
      attributesOf.set(this, attributes);
    }
    return [...attributes.keys()];
  }

  readonly renderRoot: ShadowRoot;
  /** Whether the element has rendered once. */
  hasUpdated = false;
  /** Resolves once the pending update (if any) has run; true when no other is pending then. */
  updateComplete: Promise<boolean>;

  private values = new Map<PropertyKey, unknown>();
  private changed: PropertyValues = new Map();
  /** Properties to write back to their attributes at the next render (kept through updates `shouldUpdate` skips). */
  private reflecting = new Set<string>();
  private pending = false;
  private connect!: () => void;

  constructor() {
    super();
    this.renderRoot = this.attachShadow({ mode: 'open' });
    this.renderRoot.adoptedStyleSheets = (this.constructor as typeof TemplateElement).styles;
    // The first update waits for the element to be connected, as Lit's does.
    this.updateComplete = new Promise<void>((resolve) => (this.connect = resolve)).then(() => true);
    this.requestUpdate();
  }

  connectedCallback(): void {
    this.connect();
  }

  disconnectedCallback(): void {}

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null): void {
    const name = attributesOf.get(this.constructor)!.get(attribute)!;
    const options = (this.constructor as typeof TemplateElement).properties[name];
    (this as unknown as Record<string, unknown>)[name] = options.type === Boolean ? value !== null : value;
  }

  /** Schedules an update; with a property's name, records its old value (nothing when the value did not change). */
  requestUpdate(name?: PropertyKey, old?: unknown): void {
    if (name !== undefined) {
      const value = this.values.get(name);
      if (value === old || (value !== value && old !== old)) return;
      if (!this.changed.has(name)) this.changed.set(name, old);
      if ((this.constructor as typeof TemplateElement).properties[name as string]?.reflect) this.reflecting.add(name as string);
    }
    if (this.pending) return;
    this.pending = true;
    // After the previous update, even one that threw (its own promise rejected with the error, as Lit's does).
    this.updateComplete = this.updateComplete
      .catch(() => {})
      .then(() => {
        this.performUpdate();
        return !this.pending;
      });
  }

  /** Whether this update renders; when it does not, its changes are dropped (as Lit drops them). */
  protected shouldUpdate(_changed: PropertyValues): boolean {
    return true;
  }

  /** Before each render, with the properties that changed and their old values: derive state here. */
  protected willUpdate(_changed: PropertyValues): void {}

  /** After the first render, before `updated`. */
  protected firstUpdated(_changed: PropertyValues): void {}

  /** After each render, with the properties that changed and their old values. */
  protected updated(_changed: PropertyValues): void {}

  protected abstract render(): unknown;

  private performUpdate(): void {
    const changed = this.changed;
    this.changed = new Map();
    this.pending = false;
    if (!this.shouldUpdate(changed)) return;
    this.willUpdate(changed);
    const properties = (this.constructor as typeof TemplateElement).properties;
    for (const name of this.reflecting) {
      const attribute = attributeOf(name, properties[name]);
      const value = this.values.get(name);
      if (value == null || value === false) this.removeAttribute(attribute);
      else this.setAttribute(attribute, value === true ? '' : String(value));
    }
    this.reflecting.clear();
    render(this.render(), this.renderRoot, { host: this });
    if (!this.hasUpdated) {
      this.hasUpdated = true;
      this.firstUpdated(changed);
    }
    this.updated(changed);
  }
}
