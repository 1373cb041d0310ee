/**
 * Finds the longest piece of a credential that a text shows. A leak is not only the whole value:
 * a message cut through a secret shows its start, and a piece of a Basic header decodes to the
 * key and part of the secret.
 */

/** Pieces of a credential this long are leaks (lambda/registry/redaction.ts MIN_FRAGMENT_CHARS). */
export const LEAK_CHARS = 8;

/** The longest piece (at least LEAK_CHARS long) of `secret` that `text` shows, or '' when none. */
export function longestPiece(text: string, secret: string): string {
  const windows = new Set<string>();
  for (let start = 0; start + LEAK_CHARS <= secret.length; start += 1) windows.add(secret.slice(start, start + LEAK_CHARS));
  let best = '';
  for (let start = 0; start + LEAK_CHARS <= text.length; start += 1) {
    if (!windows.has(text.slice(start, start + LEAK_CHARS))) continue;
    let length = LEAK_CHARS;
    while (start + length < text.length && secret.includes(text.slice(start, start + length + 1))) length += 1;
    if (length > best.length) best = text.slice(start, start + length);
  }
  return best;
}

/**
 * Every credential piece of LEAK_CHARS or more characters in the outputs, as "what in where:
 * piece (n of m characters)"; empty when nothing leaked.
 */
export function leakedPieces(outputs: Readonly<Record<string, string>>, credentials: Readonly<Record<string, string>>): string[] {
  return Object.entries(credentials).flatMap(([what, value]) =>
    Object.entries(outputs).flatMap(([where, text]) => {
      const piece = longestPiece(text, value);
      return piece.length >= LEAK_CHARS ? [`${what} in ${where}: "${piece}" (${piece.length} of ${value.length} characters)`] : [];
    }),
  );
}
