import { contrastRatio, formatRatio, isOpaqueHex } from './contrast-ratio.ts';

/**
 * The rules a bank's (or the wallet operator's) brand must meet, in one place for both sides: the wallet server
 * refuses a brand that breaks one when it loads it (`server/banks/check-bank-brand.ts`), and the frame checks again
 * before applying one (`bank-theme.ts`), so a brand that slipped through never reaches the screen.
 */

/** The colour pairs WCAG 2.2 AA asks of a brand: 4.5:1 for text (1.4.3), 3:1 for focus rings and borders (1.4.11). */
export const brandContrastPairs = [
  { foreground: 'text', background: 'background', minimum: 4.5, use: 'text' },
  { foreground: 'onPrimary', background: 'primary', minimum: 4.5, use: 'text' },
  { foreground: 'accent', background: 'background', minimum: 3, use: 'non-text: focus ring' },
  { foreground: 'border', background: 'background', minimum: 3, use: 'non-text: borders' },
] as const;

export type BrandColorName = 'primary' | 'onPrimary' | 'accent' | 'background' | 'text' | 'border';
const colorNames: readonly BrandColorName[] = ['primary', 'onPrimary', 'accent', 'background', 'text', 'border'];

/** The longest logo accepted, in characters of its `data:` URL (a logo is a small mark, not an illustration). */
export const maxLogoLength = 32_768;
/** The largest corner radius accepted, in px. */
export const maxRadiusPx = 24;

const genericFamilies = new Set(['serif', 'sans-serif', 'monospace', 'cursive', 'fantasy', 'system-ui', 'ui-serif', 'ui-sans-serif', 'ui-monospace', 'ui-rounded', 'math', 'emoji', 'fangsong']);
/** One family: a quoted name, or unquoted words (letters of any script, digits, hyphens). Nothing else can reach CSS. */
const family = /^(?:'[\p{L}\p{N} _-]+'|"[\p{L}\p{N} _-]+"|[\p{L}_-][\p{L}\p{N}_-]*(?: [\p{L}\p{N}_-]+)*)$/u;
const svgDataUrl = /^data:image\/svg\+xml(?:;charset=[\w-]+)?(?:;base64)?,./i;

/**
 * Every way `brand` breaks the rules, each naming what and why (a failing pair names both colours, the ratio and the
 * minimum); empty when it is fit to show. Takes `unknown` so a malformed brand from a bank is described, not thrown on.
 */
export function brandProblems(brand: unknown): string[] {
  if (typeof brand !== 'object' || brand === null) return [`expected a brand object, received ${describe(brand)}`];
  const b = brand as Record<string, unknown>;
  const problems: string[] = [];

  const name = b.name as Record<string, unknown> | undefined;
  if (typeof name !== 'object' || name === null || typeof name.en !== 'string' || !name.en.trim()) {
    problems.push(`name.en: expected a non-empty string, received ${describe(name?.en)}`);
  } else if (name['zh-CN'] !== undefined && (typeof name['zh-CN'] !== 'string' || !name['zh-CN'].trim())) {
    problems.push(`name.zh-CN: expected a non-empty string when present, received ${describe(name['zh-CN'])}`);
  }

  if (typeof b.logo !== 'string' || !svgDataUrl.test(b.logo)) {
    problems.push(`logo: expected a data:image/svg+xml URL, received ${describe(typeof b.logo === 'string' ? b.logo.slice(0, 40) : b.logo)}`);
  } else if (b.logo.length > maxLogoLength) {
    problems.push(`logo: expected at most ${maxLogoLength} characters, received ${b.logo.length}`);
  }

  const colors = (typeof b.colors === 'object' && b.colors !== null ? b.colors : {}) as Record<string, unknown>;
  const badColors = colorNames.filter((key) => !isOpaqueHex(colors[key]));
  for (const key of badColors) problems.push(`colors.${key}: expected an opaque hex colour (#rgb or #rrggbb), received ${describe(colors[key])}`);
  for (const pair of brandContrastPairs) {
    if (badColors.includes(pair.foreground) || badColors.includes(pair.background)) continue;
    const [foreground, background] = [colors[pair.foreground] as string, colors[pair.background] as string];
    const ratio = contrastRatio(foreground, background);
    if (ratio < pair.minimum) {
      problems.push(
        `${pair.foreground} ${foreground} on ${pair.background} ${background} is ${formatRatio(ratio, pair.minimum)}, expected at least ${pair.minimum}:1 (WCAG 2.2 AA, ${pair.use})`,
      );
    }
  }

  const radius = typeof b.radius === 'string' ? /^(\d{1,2}(?:\.\d+)?)px$/.exec(b.radius) : null;
  if (!radius || Number(radius[1]) > maxRadiusPx) problems.push(`radius: expected a length in px from 0px to ${maxRadiusPx}px, received ${describe(b.radius)}`);

  const families = typeof b.fontStack === 'string' ? b.fontStack.split(',').map((part) => part.trim()) : [];
  if (families.length === 0 || !families.every((part) => family.test(part)) || !genericFamilies.has(families[families.length - 1])) {
    problems.push(`fontStack: expected a font-family list of plain names ending in a generic family (e.g. "'Noto Sans SC', system-ui, sans-serif"), received ${describe(b.fontStack)}`);
  }

  const support = (typeof b.support === 'object' && b.support !== null ? b.support : {}) as Record<string, unknown>;
  const contacts = (['phone', 'email', 'url'] as const).filter((key) => support[key] !== undefined);
  if (contacts.length === 0) problems.push('support: expected at least one of phone, email or url, received none');
  if (support.phone !== undefined && !(typeof support.phone === 'string' && /^\+?[\d ()-]{3,30}$/.test(support.phone))) {
    problems.push(`support.phone: expected digits, spaces, "+", "-" or brackets, received ${describe(support.phone)}`);
  }
  if (support.email !== undefined && !(typeof support.email === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(support.email))) {
    problems.push(`support.email: expected an email address, received ${describe(support.email)}`);
  }
  if (support.url !== undefined && !(typeof support.url === 'string' && /^https?:\/\/[^\s]+$/.test(support.url))) {
    problems.push(`support.url: expected an http(s) URL, received ${describe(support.url)}`);
  }
  return problems;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
