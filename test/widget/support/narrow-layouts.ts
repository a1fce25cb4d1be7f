/** The narrow layouts (320 px) the wallet's own screens are checked in, shared by their component tests. */
import { ok } from './assert.ts';

/** The layouts every screen must hold at 320 px: both languages, larger text (with a larger browser font), rtl. */
export const narrowLayouts = [
  { locale: 'en', dir: 'ltr', scale: '1', rootFontSize: '' },
  { locale: 'zh-CN', dir: 'ltr', scale: '1', rootFontSize: '' },
  { locale: 'en', dir: 'rtl', scale: '1.3', rootFontSize: '' },
  { locale: 'zh-CN', dir: 'ltr', scale: '1.3', rootFontSize: '20px' },
] as const;

export function useLayout(layout: (typeof narrowLayouts)[number] | null): string {
  document.documentElement.dir = layout?.dir ?? '';
  document.documentElement.style.fontSize = layout?.rootFontSize ?? '';
  document.body.style.setProperty('--paykey-text-scale', layout?.scale ?? '');
  return layout ? `${layout.locale} ${layout.dir} ×${layout.scale}${layout.rootFontSize ? ` root ${layout.rootFontSize}` : ''}` : '';
}

/** Nothing sticks out of a 320 px page either side, the Back button starts the line (left, or right in rtl), targets are 44×44. */
export function assertFitsNarrow(el: Element, label: string): void {
  ok(document.documentElement.scrollWidth <= 320, `${label}: page is ${document.documentElement.scrollWidth} px wide`);
  for (const node of el.shadowRoot!.querySelectorAll('*')) {
    const r = node.getBoundingClientRect();
    if (r.width === 0 || node.classList.contains('visually-hidden')) continue;
    ok(r.left >= -0.5 && r.right <= 320.5, `${label}: <${node.localName}> spans ${r.left}–${r.right} px`);
  }
  for (const b of el.shadowRoot!.querySelectorAll('button')) {
    const r = b.getBoundingClientRect();
    ok(r.width >= 44 && r.height >= 44, `${label}: "${b.textContent!.replace(/\s+/g, ' ').trim()}" is ${r.width}×${r.height}`);
  }
  const back = el.shadowRoot!.querySelector('button.back')!.getBoundingClientRect();
  ok(document.documentElement.dir === 'rtl' ? back.right > 300 : back.left < 20, `${label}: Back starts the line (${back.left}–${back.right})`);
}
