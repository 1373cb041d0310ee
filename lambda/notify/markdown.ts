/**
 * Markdown for AWS Chatbot: "client-markdown" is rendered as the chat platform's Markdown, so
 * registry text must neither format the message, end a code span early, nor ping the channel.
 */
import { ELLIPSIS, line, lines } from './untrusted-text.js';

/** Slack reads `<...>` as links and mentions (`<!channel>`) even inside code, so these are entities everywhere. */
const SLACK_ENTITIES: Partial<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
export const entities = (text: string): string => text.replace(/[&<>]/g, (ch) => SLACK_ENTITIES[ch] ?? ch);
const codeChar = (ch: string): string => SLACK_ENTITIES[ch] ?? ch;
const textChar = (ch: string): string => SLACK_ENTITIES[ch] ?? (/[\\`*_~[\]()#|!]/.test(ch) ? `\\${ch}` : ch);

/** Escapes character by character and stops at `max` output characters: escaping never pushes a field past its limit. */
function escapeWithin(text: string, max: number, escape: (ch: string) => string): string {
  const pieces = Array.from(text, escape);
  const whole = pieces.join('');
  if (whole.length <= max) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - ELLIPSIS.length) break;
    out += piece;
  }
  return `${out}${ELLIPSIS}`;
}

/** Text no Markdown dialect formats and no chat reads as a mention (`@here`): shown as it is. */
const MARKDOWN_INERT = /^[A-Za-z0-9 .,:;/+=%-]*$/;

/**
 * Registry text inline. Other text goes in a code span, which shows it verbatim (Slack does not
 * understand backslash escapes and would show them); text with a backtick cannot be a code span
 * and is escaped instead.
 */
export function markdownValue(raw: string, max: number): string {
  const text = line(raw, max);
  if (MARKDOWN_INERT.test(text)) return text;
  return text.includes('`') ? escapeWithin(text, max, textChar) : `\`${escapeWithin(text, max - 2, codeChar)}\``;
}

/** Inside a fence only a backtick run could end the block early; backticks become quotes. */
export function codeBlock(trace: string, max: number): string {
  const body = escapeWithin(lines(trace, max).replace(/`/g, "'"), max, codeChar);
  return `\`\`\`\n${body}\n\`\`\``;
}
