/**
 * Stands in for the global fetch the function uses: records where every request went and whether
 * it carried credentials, maps the (https) token URL of the configuration to the simulator, and can
 * play a hostile proxy that answers 401 echoing the Authorization header it received, after some
 * filler text (so the credentials land where the monitor cuts the text) and possibly cut short
 * itself (as a proxy reading up to a byte limit would).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const FILLER = 'The proxy in front of the registry refused this request. ';

export interface FetchRecord {
  readonly url: string;
  readonly method: string;
  readonly authorization: string | undefined;
  readonly redirect: RequestInit['redirect'];
}

export class FetchSpy {
  readonly requests: FetchRecord[] = [];
  /** Requests answered by the echoing proxy. */
  echoed = 0;
  /** URL -> URL actually fetched (the configured https token URL -> the simulator's). */
  readonly rewrites = new Map<string, string>();
  /** Requests for which the "proxy" answers 401 quoting the Authorization header (and its decoded form). */
  echo: ((url: URL) => boolean) | undefined;
  /** Characters of filler before the echoed header, in the message and in the X-Request-Id. */
  echoPadding = 0;
  /** Where the proxy cuts its own message, if it does. */
  echoCut: number | undefined;
  private original: typeof fetch | undefined;

  install(): void {
    this.original = globalThis.fetch;
    const real = this.original;
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const authorization = new Headers(init?.headers).get('authorization') ?? undefined;
      this.requests.push({ url, method: init?.method ?? 'GET', authorization, redirect: init?.redirect });
      if (this.echo?.(new URL(url))) {
        this.echoed += 1;
        const decoded = authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : '';
        const filler = FILLER.repeat(Math.ceil(this.echoPadding / FILLER.length)).slice(0, this.echoPadding);
        const text = `${filler}Unauthorized: the request carried "${authorization}" (${decoded})`.slice(0, this.echoCut);
        const body = url.includes('token') ? { error: 'invalid_client', error_description: text } : { error_code: 401, message: text };
        const requestId = `${filler}echo ${authorization}`;
        return new Response(JSON.stringify(body), { status: 401, headers: { 'content-type': 'application/json', 'x-request-id': requestId } });
      }
      return real(this.rewrites.get(url) ?? url, init);
    };
  }

  restore(): void {
    if (this.original) globalThis.fetch = this.original;
  }
}

/** Another host on 127.0.0.1: it must never hear from the monitor (redirects are not followed). */
export class Elsewhere {
  readonly received: { path: string; headers: IncomingHttpHeaders }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Elsewhere> {
    let elsewhere: Elsewhere | undefined;
    const server = createServer((request, response) => {
      elsewhere!.received.push({ path: request.url ?? '', headers: request.headers });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"x","state":"RUNNING","access_token":"stolen"}');
    });
    elsewhere = new Elsewhere(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return elsewhere;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
