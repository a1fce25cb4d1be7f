/**
 * A constructed style sheet from a `css` template with nothing interpolated (a `TemplateElement`'s `styles`, which its
 * shadow root adopts). It stands for Lit's `css`, whose handling of `CSSResult`s and fallbacks for browsers without
 * constructed sheets the frame does not need. The build minifies these templates (`minifyCssTemplates` in
 * `vite.config.ts`).
 */
export function css(strings: TemplateStringsArray): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(strings.join(''));
  return sheet;
}
