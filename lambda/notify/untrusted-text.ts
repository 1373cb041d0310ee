/**
 * Cleaning and bounding the text the registry supplies (exporter names, states, traces, error
 * messages) before any message shows it: invisible characters and lone surrogates go, and every
 * value has a length it cannot pass, so no name or trace can hide or fake part of a message or
 * push it past the limits of SNS.
 */
import { wellFormed } from '../core/well-formed.js';

// How much of each registry-supplied value a message shows.
/**
 * Exporter names longer than this are shown shortened and get no commands: a command with a
 * shortened name would act on another exporter, or on none.
 */
export const NAME_MAX = 256;
/** Registry ids are at most 32 characters (config); 2 more for Markdown's code span. */
export const REGISTRY_MAX = 34;
/** States and failure kinds: the known ones are far shorter, the state list is open-ended. */
export const STATE_MAX = 26;
/** One line of other registry-supplied text: a root cause, an error message, an id, a URL. */
export const LINE_MAX = 300;

/** What marks text as shortened. */
export const ELLIPSIS = '...';

/**
 * Controls, zero-width and bidirectional-override characters, line separators, the BOM: they are
 * invisible or reorder text, so a name containing them could hide or fake part of a message.
 */
export const INVISIBLE_CHARS = '\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';
const INVISIBLE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f${INVISIBLE_CHARS}]`, 'g');

/** Keeps line breaks and tabs (for traces), turns everything else invisible into a space. */
function cleanLines(text: string): string {
  return wellFormed(text.replace(/\r\n?/g, '\n').replace(INVISIBLE, ' '));
}

function cleanLine(text: string): string {
  return cleanLines(text).replace(/\s+/g, ' ').trim();
}

function shorten(text: string, max: number): string {
  let end = Math.max(0, max - ELLIPSIS.length);
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** Cleaning never lengthens text, so only a prefix twice the limit is cleaned: a 1 MB trace stays cheap. */
function bounded(text: string, max: number, clean: (text: string) => string): string {
  const prefix = text.slice(0, 2 * max);
  const cleaned = clean(prefix);
  return cleaned.length <= max && prefix.length === text.length ? cleaned : shorten(cleaned, max);
}

/** One line of untrusted text, at most `max` characters. */
export function line(text: string, max: number): string {
  return bounded(text, max, cleanLine);
}

/** Untrusted text that keeps its line breaks and tabs (a trace), at most `max` characters. */
export function lines(text: string, max: number): string {
  return bounded(text, max, cleanLines);
}

/** SNS subjects are ASCII only: accents are dropped (`café` -> `cafe`), anything else becomes `?`. */
export function ascii(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}
