import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collapseHtmlWhitespace } from '../../widget/build/collapse-html-whitespace.ts';

describe('collapseHtmlWhitespace (the build\'s pass over `html` templates)', () => {
  test('a run of whitespace holding a line break becomes one space in an html template\'s text', () => {
    const src = 'const t = html`<main>\n      <h1>${m.title}</h1>\n\n      <p class="a   b">x</p>\n    </main>`;';
    assert.equal(collapseHtmlWhitespace(src), 'const t = html`<main> <h1>${m.title}</h1> <p class="a   b">x</p> </main>`;');
  });

  test('nested templates in ${…} are read as templates; only those tagged html change', () => {
    const src = 'html`<ul>\n  ${items.map((i) => html`<li>\n    ${i}\n  </li>`)}\n</ul>\n${css`a {\n}`} ${`plain\n  text`}`';
    assert.equal(collapseHtmlWhitespace(src), 'html`<ul> ${items.map((i) => html`<li> ${i} </li>`)} </ul> ${css`a {\n}`} ${`plain\n  text`}`');
  });

  test('code, strings, comments and regular expressions are left as they are, whatever they hold', () => {
    const src = [
      "const q = '`html\\'';",
      'const r = /[`/]\\n+/g.test(x) ? a / b : { c: "}" };',
      '// html` in a comment',
      '/* html`\n   */',
      'const o = { k: html`<b>\n  ${ {a: 1}.a }\n</b>` };',
    ].join('\n');
    const expected = src.replace('<b>\n  ${ {a: 1}.a }\n</b>', '<b> ${ {a: 1}.a } </b>');
    assert.equal(collapseHtmlWhitespace(src), expected);
  });

  test('an escaped backtick or ${ stays inside the template text', () => {
    const src = 'html`a \\` \\${b}\n  c`';
    assert.equal(collapseHtmlWhitespace(src), 'html`a \\` \\${b} c`');
  });

  test('source it cannot read to the end is refused, not rewritten', () => {
    assert.throws(() => collapseHtmlWhitespace('html`<p>${x'), /expected the closing brace of a `\$\{…\}` \(opened on line 1\)/);
    assert.throws(() => collapseHtmlWhitespace('a;\nhtml`<p>\n'), /expected the closing backtick of a template \(opened on line 2\)/);
    assert.throws(() => collapseHtmlWhitespace('x = /open'), /expected the end of a regular expression/);
    assert.throws(() => collapseHtmlWhitespace("const s = 'open"), /expected the closing ' of a string/);
  });
});
