import { en, type Messages } from './en.ts';

export type { Messages };

/** The table for a locale; only English exists yet, so every locale falls back to it. */
export function messagesFor(_locale: string): Messages {
  return en;
}

/** A card brand code (`visa`) as a display name (`Visa`). */
export function brandName(m: Messages, brand: string): string {
  return m.brands[brand.toLowerCase()] ?? brand;
}
