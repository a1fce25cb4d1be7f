/**
 * Finds a member name that appears twice in one JSON object. `JSON.parse`
 * keeps the last one; other parsers keep the first or refuse the text, so a
 * body with duplicate names can mean one thing to a proxy, a log or a WAF and
 * another to us (I-JSON, RFC 7493 §2.3, forbids them). One linear pass over
 * the text with an explicit stack (no recursion: 100 KB of `[` is fine);
 * names compare after JSON unescaping (`"a"` and `"\u0061"` are one name).
 *
 * Meant for text `JSON.parse` accepted; on anything else it never throws and
 * reports what it saw up to where the text stops making sense.
 */

/** Where a duplicated name sits: the member names and array indexes leading to it, the name itself last. */
export type JsonPath = Array<string | number>;

type Frame =
  | { kind: 'object'; names: Set<string>; name: string | undefined; expectName: boolean }
  | { kind: 'array'; index: number };

export function findDuplicateKey(text: string): JsonPath | undefined {
  const stack: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectName) {
        const name = unescape(text.slice(i, end + 1));
        if (name === undefined) return undefined;
        if (top.names.has(name)) return [...pathTo(stack.slice(0, -1)), name];
        top.names.add(name);
        top.name = name;
        top.expectName = false;
      }
      i = end + 1;
      continue;
    }
    if (ch === 0x7b /* { */) {
      stack.push({ kind: 'object', names: new Set(), name: undefined, expectName: true });
    } else if (ch === 0x5b /* [ */) {
      stack.push({ kind: 'array', index: 0 });
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop();
    } else if (ch === 0x2c /* , */) {
      const top = stack.at(-1);
      if (top?.kind === 'object') top.expectName = true;
      else if (top?.kind === 'array') top.index += 1;
    }
    // Anything else (whitespace, `:`, numbers, true, false, null) names nothing.
    i += 1;
  }
  return undefined;
}

/**
 * The path for a message, quoted: `"amount"`, `"response.id"`, `"items[1].name"` (JSON-escaped, so control
 * characters stay visible); names over `maxNameLength` and paths over `maxSegments` are shortened with `…`.
 */
export function describeJsonPath(path: JsonPath, maxNameLength = 40, maxSegments = 8): string {
  const segments = path.map((segment, index) => {
    if (typeof segment === 'number') return `[${segment}]`;
    const name = segment.length > maxNameLength ? `${segment.slice(0, maxNameLength)}…` : segment;
    return index === 0 ? name : `.${name}`;
  });
  const shown = segments.length <= maxSegments ? segments : [segments[0], '.…', ...segments.slice(-(maxSegments - 1))];
  return JSON.stringify(shown.join(''));
}

/** The index of the `"` closing the string that opens at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c /* \ */) i += 1;
    else if (ch === 0x22) return i;
  }
  return -1;
}

/** A string token's value, unescaped exactly as `JSON.parse` does. */
function unescape(token: string): string | undefined {
  if (!token.includes('\\')) return token.slice(1, -1);
  try {
    return JSON.parse(token) as string;
  } catch {
    return undefined;
  }
}

function pathTo(frames: Frame[]): JsonPath {
  const path: JsonPath = [];
  for (const frame of frames) {
    if (frame.kind === 'array') path.push(frame.index);
    else if (frame.name !== undefined) path.push(frame.name);
  }
  return path;
}
