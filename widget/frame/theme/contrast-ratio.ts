/**
 * WCAG 2 contrast ratio of two CSS colours (1 to 21), or NaN when either is not an opaque colour. The canvas parses
 * any CSS colour syntax for us and hands back `#rrggbb` for opaque ones.
 */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

function luminance(color: string): number {
  // An invalid colour would leave the canvas's default black in place.
  if (!CSS.supports('color', color)) return NaN;
  const context = document.createElement('canvas').getContext('2d')!;
  context.fillStyle = color;
  const hex = /^#([\da-f]{6})$/i.exec(String(context.fillStyle))?.[1];
  if (!hex) return NaN;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
