/**
 * Cuts credentials out of text a server sent back (an echoing proxy, a chatty token endpoint).
 * Must run on the whole text, before it is cut to length: a cut through a credential leaves a
 * fragment that no longer matches the credential, yet still gives most of it away.
 *
 * The rule:
 * - A credential of MIN_FRAGMENT_CHARS or more characters: every piece of it at least that long
 *   is masked, wherever it appears. That covers the whole value, the start of one at the end of a
 *   text a server had already cut (a body read up to a byte limit), its end at the start of one,
 *   and the pieces of a Basic header in base64, each of which decodes to the key and part of the
 *   secret. A shorter piece carries too little to matter, and matching shorter pieces would
 *   start masking ordinary words.
 * - A shorter credential (say `--api-secret s`) is masked only where it stands alone, not inside
 *   a word: an "s" inside "success" is the word, not the secret showing, and masking it there
 *   would turn every message into noise. Where it stands alone (`KEY:s`, `'s'`, `= s`) it is
 *   masked, so the value itself never passes.
 */
import { wellFormed } from '../core/well-formed.js';

/** Pieces of a credential this long or longer never reach a message. */
export const MIN_FRAGMENT_CHARS = 8;
const MASK = '***';

/** The values a text must not show, asked for when the text is kept, so a token issued meanwhile counts. */
export type SecretValues = () => readonly string[];

// Letters, combining marks, digits and `_`, and an apostrophe between two of them ("it's"): a
// short credential next to one of these is part of a longer word, not the credential.
const WORD = '[\\p{L}\\p{M}\\p{N}_]';
const NOT_AFTER_WORD = `(?<!${WORD}|${WORD}['\u2019])`;
const NOT_BEFORE_WORD = `(?!${WORD}|['\u2019]${WORD})`;

export function redact(text: string, secrets: readonly string[]): string {
  const long = secrets.filter((secret) => secret.length >= MIN_FRAGMENT_CHARS);
  const short = secrets.filter((secret) => secret.length > 0 && secret.length < MIN_FRAGMENT_CHARS);
  return short.reduce(maskStandalone, maskFragments(text, long));
}

/** Masks every credential piece of MIN_FRAGMENT_CHARS or more characters; only long credentials are searched. */
export function redactFragments(text: string, secrets: readonly string[]): string {
  return maskFragments(text, secrets.filter((secret) => secret.length >= MIN_FRAGMENT_CHARS));
}

function maskFragments(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length < MIN_FRAGMENT_CHARS) return text;
  const windows = new Set<string>();
  for (const secret of secrets) {
    for (let start = 0; start + MIN_FRAGMENT_CHARS <= secret.length; start += 1) {
      windows.add(secret.slice(start, start + MIN_FRAGMENT_CHARS));
    }
  }
  // Masking joins the text on both sides of a piece, which could form a new piece (a credential
  // holding "***", say); every round shortens the text, so the loop ends.
  let current = text;
  for (;;) {
    const masked = maskWindows(current, windows);
    if (masked === current) return current;
    // Masking can split a surrogate pair when a credential holds characters outside the BMP.
    current = wellFormed(masked);
  }
}

/** One mask for each run of overlapping or touching windows found in `windows`. */
function maskWindows(text: string, windows: ReadonlySet<string>): string {
  let result = '';
  let kept = 0;
  let runEnd = -1;
  for (let start = 0; start + MIN_FRAGMENT_CHARS <= text.length; start += 1) {
    if (!windows.has(text.slice(start, start + MIN_FRAGMENT_CHARS))) continue;
    if (start > runEnd) result += text.slice(kept, start) + MASK;
    runEnd = start + MIN_FRAGMENT_CHARS;
    kept = runEnd;
  }
  return kept === 0 ? text : result + text.slice(kept);
}

function maskStandalone(text: string, secret: string): string {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return text.replace(new RegExp(`${NOT_AFTER_WORD}${escaped}${NOT_BEFORE_WORD}`, 'gu'), MASK);
}
