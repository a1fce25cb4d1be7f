/**
 * Every `html` template of the frame compiled at build time by Lit's own compiler (`@lit-labs/compiler`, a TypeScript
 * transformer from the Lit team): the template's HTML and the place of each of its values are worked out here, once,
 * instead of by lit-html in the shopper's browser on the template's first render. lit-html renders the result
 * (`{ ["_$litType$"]: { h, parts }, values }`) with the same parts, directives' hooks and updates as any template.
 *
 * Why: the frame's build then leaves lit-html's run-time preparation out (`lit-html-compiled-only.ts`), about 0.9 KB of
 * the first module on the wire, and a first render skips it. So no template may stay uncompiled: one the compiler
 * declines (a value inside `<textarea>`, `<template>`, `<script>`, `<style>` or `<title>`, or in a tag's name) stops
 * the build, naming its file.
 *
 * The compiler's parts are rewritten as short calls to `compiledPartsModule` (`child(3)`, `attr(0, "id")`, …), which
 * make the same objects; `h`, the template's HTML, is kept as the compiler wrote it.
 *
 * The source is compiled by TypeScript as `tsconfig.json` says (ES2022, `useDefineForClassFields: false`), with the
 * `lit/html.js` imports read as `lit-html`, the module they re-export and the one the compiler recognises.
 */
import { compileLitTemplates } from '@lit-labs/compiler';
import ts from 'typescript';
import { compiledPartsId } from './lit-html-compiled-only.ts';

/** The compiler's names for the part classes it imports, as `compiledPartsModule` names their makers. */
const partMakers: Record<string, string> = { AttributePart: 'attr', BooleanAttributePart: 'bool', EventPart: 'event', PropertyPart: 'prop' };
const prefix = '__litPart_';

export function precompileTemplates(code: string, fileName: string): { code: string; map: string } {
  const out = ts.transpileModule(code.replaceAll("from 'lit/html.js'", "from 'lit-html'"), {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      useDefineForClassFields: false,
      removeComments: true,
      sourceMap: true,
    },
    transformers: { before: [compileLitTemplates()] },
  });
  let js = out.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, '');
  const uncompiled = /\bhtml\s*`/.exec(js);
  if (uncompiled) {
    const line = js.slice(0, uncompiled.index).split('\n').length;
    throw new Error(`precompileTemplates: every html template must compile, but Lit's compiler left one in ${fileName} (line ${line} of its output: ${js.split('\n')[line - 1].trim().slice(0, 120)})`);
  }

  const makerOf: Record<string, string> = {};
  js = js.replace(/import \* as (\w+) from "lit-html\/private-ssr-support\.js";\nconst \{([^}]*)\} = \1\._\$LH;\n/, (_whole, _ns, names: string) => {
    for (const pair of names.split(',')) {
      const [ctor, local] = pair.split(':').map((name) => name.trim());
      makerOf[local] = `${prefix}${partMakers[ctor]}`;
    }
    return '\n\n'; // The same lines, so the source map still fits.
  });
  js = js.replace(/\{ type: 2, index: (\d+) \}/g, `${prefix}child($1)`);
  js = js.replace(/\{ type: 1, index: (\d+), name: ("[^"]*"), strings: (\[[^\]]*\]), ctor: (\w+) \}/g, (_whole, index, name, strings, ctor) =>
    `${makerOf[ctor]}(${index}, ${name}${strings === '["", ""]' ? '' : `, ${strings}`})`,
  );
  const leftover = /private-ssr-support|ctor: |undefined\(/.exec(js);
  if (leftover) throw new Error(`precompileTemplates: expected every part of ${fileName} as a call to ${compiledPartsId}, found "${leftover[0]}" in the compiler's output`);
  if (js.includes(prefix)) {
    const makers = ['child', ...Object.values(partMakers)].map((maker) => `${maker} as ${prefix}${maker}`).join(', ');
    js = `import { ${makers} } from '${compiledPartsId}'; ${js}`; // On the first line, for the source map.
  }
  return { code: js, map: out.sourceMapText ?? '' };
}
