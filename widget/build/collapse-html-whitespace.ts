/**
 * Lit's `html` templates reach the browser as written, with the source's line breaks and indentation. In the static
 * text of every template tagged `html`, this turns each run of whitespace that holds a line break into one space:
 * rendered the same, since HTML collapses such runs to one space wherever `white-space` is `normal` or `nowrap` (no
 * element of the frame preserves whitespace). Runs without a line break, the `${…}` expressions and every other
 * string, template or regular expression are left as they are.
 *
 * A small scanner reads the source: strings, comments, regular-expression literals (a `/` after an operator or an
 * opening bracket starts one; after a name or a closing bracket it divides), templates and their `${…}` nesting.
 * Source it cannot read to the end is refused with an error, never rewritten.
 */
export function collapseHtmlWhitespace(code: string): string {
  const out: string[] = [];
  let i = 0;

  /** `from`: where what is left open began. */
  const fail = (what: string, from: number): never => {
    throw new Error(`collapseHtmlWhitespace: expected ${what} (opened on line ${code.slice(0, from).split('\n').length}), found the end of the source`);
  };

  /** Copies from `i` up to and including the first `end` (a string or a regular expression), skipping escapes. */
  const copyQuoted = (end: string, what: string) => {
    const start = i++;
    let inClass = false; // A regular expression's `[…]` may hold its closing `/`.
    for (; i < code.length; i++) {
      const c = code[i];
      if (c === '\\') i++;
      else if (end === '/' && (c === '[' || c === ']')) inClass = c === '[';
      else if (c === end && !inClass) break;
      else if (c === '\n') fail(what, start);
    }
    if (i >= code.length) fail(what, start);
    out.push(code.slice(start, ++i));
  };

  /** Code up to the end of the source or, inside `${…}`, up to its closing brace (left unread). */
  const readCode = (inExpression: boolean) => {
    const start = i;
    let depth = 0;
    while (i < code.length) {
      const c = code[i];
      const next = code[i + 1];
      if (c === '/' && next === '/') {
        const end = code.indexOf('\n', i);
        out.push(code.slice(i, end < 0 ? code.length : end));
        i = end < 0 ? code.length : end;
      } else if (c === '/' && next === '*') {
        const end = code.indexOf('*/', i + 2);
        if (end < 0) fail('the end of a comment', i);
        out.push(code.slice(i, end + 2));
        i = end + 2;
      } else if (c === '/' && /(^|[(,=:[!&|?{};+\-*%<>~^]|\breturn|\btypeof)\s*$/.test(code.slice(Math.max(0, i - 12), i))) {
        copyQuoted('/', 'the end of a regular expression');
      } else if (c === '"' || c === "'") {
        copyQuoted(c, `the closing ${c} of a string`);
      } else if (c === '`') {
        const tagged = /\bhtml$/.test(code.slice(Math.max(0, i - 5), i));
        out.push(c);
        i++;
        readTemplate(tagged);
      } else {
        if (c === '{') depth++;
        if (c === '}' && depth-- === 0 && inExpression) return;
        out.push(c);
        i++;
      }
    }
    if (inExpression) fail('the closing brace of a `${…}`', start);
  };

  /** From after a template's opening backtick to after its closing one. */
  const readTemplate = (html: boolean) => {
    const start = i;
    let text = '';
    const flush = () => {
      out.push(html ? text.replace(/\s*\n\s*/g, ' ') : text);
      text = '';
    };
    while (i < code.length) {
      const c = code[i];
      if (c === '\\') {
        text += code.slice(i, i + 2);
        i += 2;
      } else if (c === '`') {
        flush();
        out.push(c);
        i++;
        return;
      } else if (c === '$' && code[i + 1] === '{') {
        flush();
        out.push('${');
        i += 2;
        readCode(true);
        out.push('}');
        i++;
      } else {
        text += c;
        i++;
      }
    }
    fail('the closing backtick of a template', start);
  };

  readCode(false);
  return out.join('');
}
