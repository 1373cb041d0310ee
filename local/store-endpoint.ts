/**
 * Where a persistent local store is served while a process holds it. LevelDB lets one process
 * open a folder, so the process that holds it (the watch of `npm start -- --url`, the demo, a CLI
 * command) writes this file into the folder naming its dynalite endpoint, and removes it when it
 * closes the store. Another process finding the folder locked reads the same data through that
 * endpoint instead: the one server answers both, so what it reads is what the monitor sees.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** In the store's folder; LevelDB ignores files whose names are not its own. */
export const STORE_ENDPOINT_FILE = 'endpoint.json';

export interface StoreEndpoint {
  /** `http://127.0.0.1:PORT`: the embedded store listens on the loopback interface only. */
  readonly endpoint: string;
  /** The process serving it, for people. */
  readonly pid: number;
}

/** Written to a temporary name and renamed, so a reader never sees half a file. */
export function publishStoreEndpoint(dir: string, served: StoreEndpoint): void {
  const file = path.join(dir, STORE_ENDPOINT_FILE);
  writeFileSync(`${file}.${served.pid}.tmp`, `${JSON.stringify(served)}\n`);
  renameSync(`${file}.${served.pid}.tmp`, file);
}

export function withdrawStoreEndpoint(dir: string): void {
  rmSync(path.join(dir, STORE_ENDPOINT_FILE), { force: true });
}

/**
 * The endpoint published in `dir`, or undefined when there is none. Throws, saying why, on a file
 * that is not ours: only http://127.0.0.1 is followed, so the file can send a reader nowhere else.
 */
export function readStoreEndpoint(dir: string): StoreEndpoint | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, STORE_ENDPOINT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let parsed: Partial<Record<keyof StoreEndpoint, unknown>> | null;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new Error(`${STORE_ENDPOINT_FILE} is not JSON`);
  }
  const { endpoint, pid } = parsed ?? {};
  if (typeof endpoint !== 'string' || !isLoopbackHttp(endpoint)) {
    throw new Error(`${STORE_ENDPOINT_FILE} names ${JSON.stringify(endpoint)}, not an http://127.0.0.1 address`);
  }
  if (typeof pid !== 'number' || !Number.isInteger(pid)) throw new Error(`${STORE_ENDPOINT_FILE} names no process id`);
  return { endpoint, pid };
}

function isLoopbackHttp(endpoint: string): boolean {
  try {
    const url = new URL(endpoint);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.port !== '' && url.pathname === '/' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
