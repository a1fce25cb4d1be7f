import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compiledOnlyLitHtml, litHtmlVersion } from '../../widget/build/lit-html-compiled-only.ts';
import { precompileTemplates } from '../../widget/build/precompile-templates.ts';

/** The browser's production build of lit-html, the file the frame's build resolves `lit-html` to. */
const litHtmlSource = readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'lit-html', 'lit-html.js'), 'utf8');

describe("precompileTemplates (the build's Lit template compilation)", () => {
  test('each kind of binding becomes a part made by the parts module; no html template is left', () => {
    const source = [
      "import { html, nothing } from 'lit/html.js';",
      'export const view = (m: { title: string; busy: boolean }, on: () => void) =>',
      '  html`<h1 id="t-${m.title}-x" aria-label=${m.title} ?hidden=${m.busy} .value=${m.title} @click=${on}>${m.title}</h1>${m.busy ? html`<p>${m.title}</p>` : nothing}`;',
    ].join('\n');
    const { code } = precompileTemplates(source, '/x/widget/view.ts');
    assert.doesNotMatch(code, /\bhtml\s*`/);
    assert.match(code, /^import \{ child as __litPart_child, attr as __litPart_attr, bool as __litPart_bool, event as __litPart_event, prop as __litPart_prop \} from 'virtual:paykey-compiled-parts';/);
    assert.match(code, /__litPart_attr\(0, "id", \["t-", "-x"\]\)/);
    assert.match(code, /__litPart_attr\(0, "aria-label"\)/);
    assert.match(code, /__litPart_bool\(0, "hidden"\)/);
    assert.match(code, /__litPart_prop\(0, "value"\)/);
    assert.match(code, /__litPart_event\(0, "click"\)/);
    assert.match(code, /__litPart_child\(1\)/);
    assert.match(code, /h: \w+ `<h1><\?><\/h1><\?><!--\?-->`/);
    assert.match(code, /h: \w+ `<p><\?><\/p>`/);
    assert.doesNotMatch(code, /private-ssr-support|ctor: /);
  });

  test('a file with no template is compiled unchanged in meaning and imports no parts', () => {
    const { code } = precompileTemplates("export const a: number = 1; // mentions frame.html`\n", '/x/widget/a.ts');
    assert.equal(code.trim(), 'export const a = 1;');
  });

  test('class fields are assigned in the constructor, as tsconfig.json has it (the elements define accessors for them)', () => {
    const { code } = precompileTemplates("import { html } from 'lit/html.js';\nexport class A { x = 1; static p = { a: 1 }; r() { return html`${this.x}`; } }", '/x/widget/a.ts');
    assert.match(code, /this\.x = 1;/);
    assert.match(code, /this\.p = \{ a: 1 \}|A\.p = \{ a: 1 \}/);
  });

  test('a template the compiler declines stops the build, naming its file and the template', () => {
    const source = "import { html } from 'lit/html.js';\nexport const v = (t: string) => html`<textarea>${t}</textarea>`;";
    assert.throws(() => precompileTemplates(source, '/x/widget/notes.ts'), /every html template must compile, but Lit's compiler left one in \/x\/widget\/notes\.ts .*<textarea>/);
  });
});

describe('compiledOnlyLitHtml (lit-html without its run-time template preparation)', () => {
  test(`the installed lit-html is ${litHtmlVersion}, and every edit fits it`, () => {
    const code = compiledOnlyLitHtml(litHtmlSource);
    assert.ok(code.length < litHtmlSource.length - 2000, `expected about 2.5 KB less, got ${litHtmlSource.length - code.length} B less`);
    assert.doesNotMatch(code, /_\$LH|Math\.random|textarea\|title|new WeakMap/);
    assert.match(code, /_\$AC\(\)\{throw Error\("lit-html: expected a compiled template"\)\}/);
    assert.match(code, /export\{H as AttributePart,I as PropertyPart,L as BooleanAttributePart,z as EventPart,b as html,/);
    // The renderer itself is untouched: compiled templates' path, the instances' cloning and `render`.
    for (const kept of ['s.el=S.createElement(V(s.h,s.h[0]),this.options)', 'class R{', 'class k{', 'D as render']) assert.ok(code.includes(kept), kept);
  });

  test('another version of lit-html stops the build, saying which it expected', () => {
    assert.throws(() => compiledOnlyLitHtml(litHtmlSource.replace(`.push("${litHtmlVersion}")`, '.push("3.4.0")')), /expected lit-html 3\.3\.3, found 3\.4\.0; read the new lit-html\.js/);
  });

  test('an edit that no longer fits stops the build, naming it', () => {
    assert.throws(() => compiledOnlyLitHtml(litHtmlSource.replace('C=new WeakMap,', 'C=new Map,')), /expected the cache of prepared templates once in lit-html 3\.3\.3, found it 0 times/);
  });
});
