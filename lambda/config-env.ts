/**
 * How the configuration travels in the function's environment (MONITOR_CONFIG). Lambda allows 4 KB
 * of environment variables in all, so a configuration too long as JSON goes gzipped and in base64:
 * registry entries repeat the same keys and similar URLs, and shrink to a fifth or less. Written by
 * the construct, read by the function and by the CLI (which finds the registries in it).
 */
import { gunzipSync, gzipSync } from 'node:zlib';

/** The environment variable that holds it. */
export const CONFIG_ENV = 'MONITOR_CONFIG';
/** Room for the configuration; the other variables (names, table, topic ARN) fit in the remaining 1 KB. */
export const MAX_CONFIG_ENV_BYTES = 3 * 1024;
const GZIP_PREFIX = 'gzip+base64:';

/** As JSON while it fits, people can read it in the console then; compressed when it does not. */
export function encodeConfigEnv(json: string): string {
  if (Buffer.byteLength(json) <= MAX_CONFIG_ENV_BYTES) return json;
  return GZIP_PREFIX + gzipSync(json, { level: 9 }).toString('base64');
}

/** The JSON text of what encodeConfigEnv wrote (plain JSON is passed through as it is). */
export function decodeConfigEnv(value: string): string {
  if (!value.startsWith(GZIP_PREFIX)) return value;
  return gunzipSync(Buffer.from(value.slice(GZIP_PREFIX.length), 'base64')).toString('utf8');
}
