/**
 * Stands between the function and the network: wraps Node's http.request and https.request, which
 * the registry client's transport calls (lambda/registry/transport.ts). Records where every request
 * went and whether it carried credentials, sends the (https) token URL of the configuration to the
 * simulator, and can play a hostile proxy, a real server on 127.0.0.1, that answers 401 echoing the
 * Authorization header it received, after some filler text (so the credentials land where the
 * monitor cuts the text) and possibly cut short itself (as a proxy reading up to a byte limit would).
 */
import http, { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

const FILLER = 'The proxy in front of the registry refused this request. ';

export interface RequestRecord {
  readonly url: string;
  readonly method: string;
  readonly authorization: string | undefined;
}

type RequestFunction = typeof http.request;

export class HttpSpy {
  readonly requests: RequestRecord[] = [];
  /** Requests answered by the echoing proxy. */
  echoed = 0;
  /** URL -> URL actually requested (the configured https token URL -> the simulator's). */
  readonly rewrites = new Map<string, string>();
  /** Requests for which the "proxy" answers 401 quoting the Authorization header (and its decoded form). */
  echo: ((url: URL) => boolean) | undefined;
  /** Characters of filler before the echoed header, in the message and in the X-Request-Id. */
  echoPadding = 0;
  /** Where the proxy cuts its own message, if it does. */
  echoCut: number | undefined;
  private original: { http: RequestFunction; https: RequestFunction } | undefined;
  private proxy: Server | undefined;

  async install(): Promise<void> {
    this.proxy = createServer((request, response) => this.answerAsProxy(request.url ?? '/', request.headers, response));
    await new Promise<void>((resolve) => this.proxy!.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}`;
    const original = { http: http.request, https: https.request };
    this.original = original;
    // Each module's own function is wrapped, so what is not recorded goes on to the module it was meant for.
    const spied = (passOn: RequestFunction) =>
      ((...args: Parameters<RequestFunction>) => {
        // The transport always passes a URL first; the AWS SDK passes options alone: its calls go through unrecorded.
        const [url, options, callback] = args as unknown as [URL, http.RequestOptions, ((response: http.IncomingMessage) => void) | undefined];
        if (!(url instanceof URL)) return passOn(...args);
        const authorization = headerOf(options.headers, 'authorization');
        this.requests.push({ url: url.href, method: options.method ?? 'GET', authorization });
        const echoing = this.echo?.(url) === true;
        if (echoing) this.echoed += 1;
        const target = new URL(echoing ? `${proxyUrl}${url.pathname}${url.search}` : (this.rewrites.get(url.href) ?? url.href));
        // The transport's keep-alive agent is for the configured protocol; the rewritten one may differ.
        const request = target.protocol === 'https:' ? original.https : original.http;
        return request(target, { ...options, agent: undefined }, callback);
      }) as RequestFunction;
    http.request = spied(original.http);
    https.request = spied(original.https);
  }

  async restore(): Promise<void> {
    if (this.original) {
      http.request = this.original.http;
      https.request = this.original.https;
    }
    this.proxy?.closeAllConnections();
    await new Promise<void>((resolve) => (this.proxy ? this.proxy.close(() => resolve()) : resolve()));
  }

  private answerAsProxy(path: string, headers: IncomingHttpHeaders, response: http.ServerResponse): void {
    const authorization = headers.authorization;
    const decoded = authorization?.startsWith('Basic ') ? Buffer.from(authorization.slice(6), 'base64').toString('utf8') : '';
    const filler = FILLER.repeat(Math.ceil(this.echoPadding / FILLER.length)).slice(0, this.echoPadding);
    const text = `${filler}Unauthorized: the request carried "${authorization}" (${decoded})`.slice(0, this.echoCut);
    const body = path.includes('token') ? { error: 'invalid_client', error_description: text } : { error_code: 401, message: text };
    response.writeHead(401, { 'content-type': 'application/json', 'x-request-id': `${filler}echo ${authorization}` }).end(JSON.stringify(body));
  }
}

function headerOf(headers: OutgoingHttpHeaders | readonly string[] | undefined, name: string): string | undefined {
  if (headers === undefined || Array.isArray(headers)) return undefined;
  const value = (headers as OutgoingHttpHeaders)[name];
  return value === undefined ? undefined : String(value);
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
