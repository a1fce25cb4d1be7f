/**
 * WCAG 2 contrast ratio of two opaque hex colours (`#rgb` or `#rrggbb`), from 1 to 21; NaN when either is anything
 * else (a named colour, `rgb()`, a translucent `#rrggbbaa`). Plain arithmetic, no DOM: the wallet server checks a bank's
 * brand with it when it loads the brand, and the frame checks it again before applying it.
 */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [relativeLuminance(a), relativeLuminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** `#rgb` or `#rrggbb`, any case: the only colour syntax a brand may use (opaque, and unambiguous on both sides). */
export function isOpaqueHex(color: unknown): color is string {
  return typeof color === 'string' && /^#(?:[\da-f]{3}|[\da-f]{6})$/i.test(color);
}

/** WCAG 2.2 relative luminance of an opaque hex colour; NaN for anything else. */
export function relativeLuminance(color: string): number {
  if (!isOpaqueHex(color)) return NaN;
  const hex = color.length === 4 ? [...color.slice(1)].map((digit) => digit + digit).join('') : color.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * A ratio as people quote it, to two decimals ("4.48:1" for #777 on white). A failing ratio never reads as the
 * minimum it missed: with `minimum` given, 4.499 against 4.5 is "4.49:1", not "4.50:1".
 */
export function formatRatio(ratio: number, minimum = Infinity): string {
  if (Number.isNaN(ratio)) return 'not computable';
  let shown = Math.round(ratio * 100) / 100;
  if (ratio < minimum && shown >= minimum) shown = Math.floor(ratio * 100) / 100;
  return `${shown.toFixed(2)}:1`;
}
