/**
 * lit-html as the frame's build ships it: its renderer whole, without the code that prepares a template at run time.
 *
 * lit-html renders two kinds of template. An `html` tagged template is "prepared" on its first render: its strings are
 * scanned with regular expressions, joined into HTML with markers, parsed into a `<template>` and walked to find where
 * each value goes. A *compiled* template (`{ h, parts }`, what Lit's compiler emits: `precompile-templates.ts`) comes
 * with that work done, and lit-html renders it without the preparation code. The frame's build compiles every template
 * and refuses one it cannot compile, so the preparation code is never reached; this takes it out of lit-html's module
 * (about 0.9 KB of the frame's first module on the wire), and exports the part classes compiled templates name:
 * - the preparation (`getTemplateHtml`, `Template`'s constructor, the parsers' regular expressions, the markers) goes;
 * - `ChildPart._$getTemplate`, lit-html's way to an uncompiled template, throws instead: unreachable in the build;
 * - `_$LH` (lit-html's private exports, which hold the preparation) gives way to the four attribute part classes that
 *   compiled templates name (`compiledPartsModule`, below).
 * Nothing else in lit-html changes: the template instances, parts, directives' hooks and `render` are its own code.
 *
 * Each edit matches lit-html's published, minified `lit-html.js` of version `litHtmlVersion` (pinned in package.json)
 * exactly once, or the build stops naming it: another version of lit-html is read anew before these edits are made to
 * it.
 */
export const litHtmlVersion = '3.3.3';

type Edit = { what: string; find: string | RegExp; replace: string };

const edits: Edit[] = [
  {
    what: 'the markers uncompiled templates are prepared with',
    find: 'h="$lit$",o=`lit$${Math.random().toFixed(9).slice(2)}$`,n="?"+o,r=`<${n}>`,',
    replace: '',
  },
  { what: "the preparation's regular expressions", find: /,f="\[[^"]*\]",v=\/<[\s\S]*?,y=\/\^\(\?:script\|style\|textarea\|title\)\$\/i,/, replace: ',' },
  { what: 'the cache of prepared templates', find: 'C=new WeakMap,', replace: '' },
  {
    what: "getTemplateHtml and Template's constructor",
    find: /const N=\(t,i\)=>\{[\s\S]*?\};class S\{constructor\(\{strings:t,_\$litType\$:i\},e\)\{[\s\S]*?\}static createElement\(/,
    replace: 'class S{static createElement(',
  },
  {
    what: 'ChildPart._$getTemplate',
    find: '_$AC(t){let i=C.get(t.strings);return void 0===i&&C.set(t.strings,i=new S(t)),i}',
    replace: '_$AC(){throw Error("lit-html: expected a compiled template")}',
  },
  { what: 'the private exports', find: 'const j={M:h,P:o,A:n,C:1,L:N,R,D:d,V:M,I:k,H,N:L,U:z,B:I,F:Z},B=', replace: 'const B=' },
  {
    what: 'the export list',
    find: 'export{j as _$LH,',
    replace: 'export{H as AttributePart,I as PropertyPart,L as BooleanAttributePart,z as EventPart,',
  },
];

/** lit-html's `lit-html.js` (version `litHtmlVersion`) without its template preparation; throws if an edit does not fit. */
export function compiledOnlyLitHtml(source: string): string {
  const version = /\.push\("([^"]+)"\)/.exec(source)?.[1];
  if (version !== litHtmlVersion) {
    throw new Error(`compiledOnlyLitHtml: expected lit-html ${litHtmlVersion}, found ${version ?? 'no version'}; read the new lit-html.js and update the edits in widget/build/lit-html-compiled-only.ts`);
  }
  let code = source;
  for (const { what, find, replace } of edits) {
    const count = typeof find === 'string' ? code.split(find).length - 1 : (code.match(new RegExp(find.source, 'g')) ?? []).length;
    if (count !== 1) throw new Error(`compiledOnlyLitHtml: expected ${what} once in lit-html ${litHtmlVersion}, found it ${count} times`);
    code = code.replace(find, replace);
  }
  return code;
}

/** The import compiled templates take their parts from (`precompile-templates.ts`); `compiledPartsModule` is its source. */
export const compiledPartsId = 'virtual:paykey-compiled-parts';

/**
 * A template's parts as lit-html reads them (`{ type, index, name, strings, ctor }`), made by short calls: `child(3)`
 * for a value between nodes, `attr(0, 'aria-pressed')` for an attribute (`bool`, `prop` and `event` for `?`, `.` and
 * `@` bindings), the attribute's static strings only when the value is not the whole attribute.
 */
export const compiledPartsModule = `import { AttributePart, BooleanAttributePart, EventPart, PropertyPart } from 'lit-html';
const whole = ['', ''];
const part = (ctor) => (index, name, strings = whole) => ({ type: 1, index, name, strings, ctor });
export const child = (index) => ({ type: 2, index });
export const attr = part(AttributePart), bool = part(BooleanAttributePart), event = part(EventPart), prop = part(PropertyPart);
`;
