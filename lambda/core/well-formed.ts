/**
 * Half a UTF-16 surrogate pair standing alone is not valid UTF-8: SNS and DynamoDB refuse it and
 * encodeURIComponent throws. Registry names and texts can hold one (JSON carries "\ud800").
 * With the `u` flag a whole pair is one code point, so only a lone half matches.
 */
export const LONE_SURROGATE = /\p{Cs}/gu;

/** The text with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, which ES2023's lib lacks). */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}
