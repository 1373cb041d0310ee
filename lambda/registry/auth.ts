/**
 * The headers that authenticate a registry request. OAuth tokens are fetched once and shared by
 * every request until shortly before they expire, so a run costs one token request, not one per read.
 */
import { InvalidBody, send, interpret } from './http.js';
import type { RequestContext } from './errors.js';
import type { SecretValues } from './redaction.js';
import type { HttpRequest, Transport } from './transport.js';

export type RegistryCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'basic'; readonly apiKey: string; readonly apiSecret: string }
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly tokenUrl: string;
      readonly logicalCluster: string;
      readonly identityPoolId?: string;
      readonly scope?: string;
    };

export interface Authorization {
  readonly headers: Readonly<Record<string, string>>;
  /** The bearer token used, so a 401 can invalidate exactly that token. */
  readonly token?: string;
}

export interface TokenTransport {
  readonly send: Transport;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/** Refresh this long before `expires_in` runs out, so a token never expires in flight. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** When the token endpoint omits `expires_in`, assume a short life; a 401 renews it sooner anyway. */
const DEFAULT_TOKEN_LIFETIME_S = 300;
/** RFC 6749 endpoints answer 400 (invalid_client, invalid_grant) as well as 401/403 to refused credentials. */
const TOKEN_REFUSALS = [400, 401, 403];

type OAuthCredentials = Extract<RegistryCredentials, { kind: 'oauth' }>;

/** The base64 user:password of a Basic authorization header. */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

const NO_AUTHORIZATION: Authorization = { headers: {} };

export class Authorizer {
  private readonly tokens?: TokenCache;
  private readonly fixed: Authorization = NO_AUTHORIZATION;
  private readonly fixedSecrets: readonly string[] = [];

  constructor(credentials: RegistryCredentials, transport: TokenTransport) {
    if (credentials.kind === 'basic') {
      const encoded = basicCredentials(credentials.apiKey, credentials.apiSecret);
      this.fixed = { headers: { authorization: `Basic ${encoded}` } };
      this.fixedSecrets = [credentials.apiSecret, encoded];
    } else if (credentials.kind === 'oauth') {
      this.tokens = new TokenCache(credentials, transport, () => this.secrets());
      this.fixedSecrets = [credentials.clientSecret, basicCredentials(credentials.clientId, credentials.clientSecret)];
    }
  }

  get tokenRequestCount(): number {
    return this.tokens?.requestCount ?? 0;
  }

  authorize(): Promise<Authorization> {
    return this.tokens ? this.tokens.authorization() : Promise.resolve(this.fixed);
  }

  forget(token: string): void {
    this.tokens?.forget(token);
  }

  /** Values that must never appear in a message, should a server echo them back. */
  secrets(): string[] {
    return [...this.fixedSecrets, ...(this.tokens?.known() ?? [])].filter((value) => value !== '');
  }
}

interface CachedToken {
  readonly token: string;
  readonly refreshAt: number;
}

/** Tokens remembered for redaction: more than a run can renew, few enough to stay cheap. */
const REMEMBERED_TOKENS = 16;

class TokenCache {
  requestCount = 0;
  private cached?: CachedToken;
  /**
   * Every token recently issued, not only the cached one: a read that failed with a token another
   * read has since replaced must still have that token cut out of its message.
   */
  private readonly issued: string[] = [];
  // Concurrent reads wait for the same token request instead of each asking for one.
  private pending?: Promise<string>;

  constructor(
    private readonly credentials: OAuthCredentials,
    private readonly transport: TokenTransport,
    private readonly secrets: SecretValues,
  ) {}

  async authorization(): Promise<Authorization> {
    const token = await this.current();
    const pool = this.credentials.identityPoolId;
    return {
      token,
      headers: {
        authorization: `Bearer ${token}`,
        'target-sr-cluster': this.credentials.logicalCluster,
        ...(pool === undefined ? {} : { 'confluent-identity-pool-id': pool }),
      },
    };
  }

  private current(): Promise<string> {
    if (this.cached && this.transport.now() < this.cached.refreshAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  forget(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  known(): string[] {
    return [...this.issued];
  }

  private async request(): Promise<string> {
    const url = new URL(this.credentials.tokenUrl);
    const context: RequestContext = {
      service: 'token endpoint',
      method: 'POST',
      path: `${url.origin}${url.pathname}`,
      secrets: this.secrets,
    };
    this.requestCount += 1;
    const exchange = await send(this.transport.send, url.href, tokenRequestFor(this.credentials), this.transport.timeoutMs, context);
    const { token, lifetimeS } = interpret(exchange, context, parseToken, TOKEN_REFUSALS);
    this.cached = { token, refreshAt: this.transport.now() + lifetimeS * 1000 - TOKEN_REFRESH_MARGIN_MS };
    this.issued.push(token);
    this.issued.splice(0, this.issued.length - REMEMBERED_TOKENS);
    return token;
  }
}

function tokenRequestFor(credentials: OAuthCredentials): HttpRequest {
  const { clientId, clientSecret, scope } = credentials;
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) });
  return {
    method: 'POST',
    headers: {
      // `client_secret_basic` with id and secret not URL-encoded first: what Kafka's and
      // Confluent's own OAuth clients send by default, so identity providers set up for them work.
      authorization: `Basic ${basicCredentials(clientId, clientSecret)}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
  };
}

function parseToken(body: unknown): { token: string; lifetimeS: number } {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof fields.access_token !== 'string' || fields.access_token === '') {
    throw new InvalidBody('no access_token in the token response');
  }
  const expiresIn = fields.expires_in;
  return {
    token: fields.access_token,
    lifetimeS: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : DEFAULT_TOKEN_LIFETIME_S,
  };
}
