/** The codings the wallet serves its widget in: brotli, gzip, or the bytes as they are. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

// RFC 9110 §12.5.3: `coding [ OWS ";" OWS "q=" qvalue ]`, qvalue 0–1 with at most three decimals.
const ELEMENT = /^([!#$%&'*+.^_`|~0-9a-z-]+)(?:[ \t]*;[ \t]*q=(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?))?$/i;

/**
 * Which coding to answer `Accept-Encoding` with: the acceptable (q > 0) one of `br` and `gzip` with the higher q,
 * brotli on a tie; `*` stands for any coding the header does not name, `x-gzip` for gzip. Identity when neither is
 * acceptable, when the header is absent or empty, and when it is malformed (a cache must never get bytes the client
 * did not ask for). Identity is sent even when the client refuses it (`identity;q=0`): RFC 9110 allows that rather
 * than a 406, and a 406 for a script would only break the page.
 */
export function preferredEncoding(header: string | null | undefined): ContentCoding {
  if (!header || header.trim() === '') return 'identity';
  const weights = new Map<string, number>();
  for (const raw of header.split(',')) {
    const element = raw.trim();
    if (element === '') continue; // `gzip, , br` is allowed by the list syntax
    const match = ELEMENT.exec(element);
    if (!match) return 'identity';
    const coding = match[1]!.toLowerCase() === 'x-gzip' ? 'gzip' : match[1]!.toLowerCase();
    // Thousandths as integers: no float comparisons of q-values.
    weights.set(coding, match[2] === undefined ? 1000 : thousandths(match[2]));
  }
  const weightOf = (coding: 'br' | 'gzip'): number => weights.get(coding) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gzip = weightOf('gzip');
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}

function thousandths(qvalue: string): number {
  const [whole, fraction = ''] = qvalue.split('.');
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0'));
}
