/**
 * How one HTTP request reaches a registry or a token endpoint. Node's own http/https client by
 * default: a status read is a small GET, and fetch's WHATWG Request, Response, Headers and stream
 * objects cost several times the CPU of the exchange itself (a profile of a steady run put the
 * fetch path at over a third of the function's CPU). Tests may pass a fetch function instead, to
 * see or shape what is sent.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What came back: its status, a header lookup (names in any case), and the whole body. */
export interface Exchange {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

/** Sends `request`, never following a redirect; rejects with an error named TimeoutError after `timeoutMs` without the whole answer. */
export type Transport = (url: string, request: HttpRequest, timeoutMs: number) => Promise<Exchange>;

/**
 * Connections are kept between requests of a run (hundreds go to one host), and dropped after a
 * few idle seconds, before a registry or load balancer would close them under a request, and so
 * never carried across the freeze between two runs of a warm Lambda container.
 */
const IDLE_SOCKET_MS = 4000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

export const nodeTransport: Transport = (url, request, timeoutMs) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    const send = protocol === 'https:' ? https.request : http.request;
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    const outgoing = send(target, { method: request.method, headers, agent: agents[protocol] }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: headerLookup(response.headers), text: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', fail);
      // A connection that closes mid-body ends the response without 'end'.
      response.on('close', () => {
        if (!response.complete) fail(Object.assign(new Error('the connection closed before the whole answer arrived'), { code: 'ECONNRESET' }));
      });
    });
    function fail(error: Error): void {
      clearTimeout(timer);
      outgoing.destroy();
      reject(error);
    }
    const timer = setTimeout(() => fail(Object.assign(new Error(`no complete answer within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    outgoing.on('error', fail);
    outgoing.end(request.body);
  });

function headerLookup(headers: http.IncomingHttpHeaders): Exchange['headers'] {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** The same exchange through a fetch function: what tests pass to see or shape the requests. */
export function fetchTransport(fetchFn: typeof fetch): Transport {
  return async (url, request, timeoutMs) => {
    const response = await fetchFn(url, { ...request, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}
