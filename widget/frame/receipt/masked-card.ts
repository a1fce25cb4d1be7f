import { html, type TemplateResult } from 'lit/html.js';

/**
 * A card as "Visa •••• 4242" on screen and "Visa ending in 4242" to a screen reader (which would otherwise read four
 * bullets). `spoken` is the localized sentence for the reader.
 */
export function maskedCard(brand: string, last4: string, spoken: string): TemplateResult {
  return html`<span aria-hidden="true">${brand} •••• ${last4}</span><span class="visually-hidden">${spoken}</span>`;
}
