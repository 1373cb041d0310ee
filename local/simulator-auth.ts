/**
 * Who the simulated registry lets in: anyone, one API key (HTTP Basic), or the bearer tokens it
 * issues itself to one OAuth client, with Confluent's cluster and identity pool headers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RegistryCredentials } from '../lambda/registry/auth.js';
import { json, NOT_FOUND, OAUTH_CONTENT_TYPE, registryError, type Reply, UNAUTHORIZED } from './simulator-http.js';

const DEFAULT_TOKEN_LIFETIME_S = 3600;

/** What the registry accepts: the client's none and basic credentials, or an OAuth server side. */
export type SimulatorAuth =
  | Exclude<RegistryCredentials, { kind: 'oauth' }>
  | {
      readonly kind: 'oauth';
      readonly clientId: string;
      readonly clientSecret: string;
      /** Required in `target-sr-cluster`. */
      readonly logicalCluster: string;
      /** When set, required in `Confluent-Identity-Pool-Id` (403 otherwise). */
      readonly identityPoolId?: string;
      /** `expires_in` of issued tokens. Default 3600. */
      readonly tokenLifetimeSeconds?: number;
    };

function basicHeader(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function basicCredentials(header: string | undefined): [string, string] | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** Checks each registry request's credentials, and answers the OAuth token endpoint. */
export class AccessControl {
  /** Issued token -> when it expires (epoch ms). */
  private readonly tokens = new Map<string, number>();

  /**
   * @param writer when set, the only key allowed to pause, resume or delete exporters: the read
   *   key (`auth`) gets 403 with 40301 for those, as a Confluent Cloud key without the role would.
   */
  constructor(
    private auth: SimulatorAuth,
    private readonly writer?: Extract<RegistryCredentials, { kind: 'basic' }>,
  ) {}

  /** The answer to a write request: the writer key's (when there is one), else the same as a read's. */
  writeRefusal(headers: IncomingHttpHeaders, exporterName: string): Reply | undefined {
    if (this.writer === undefined) return this.refusal(headers);
    if (headers.authorization === basicHeader(this.writer.apiKey, this.writer.apiSecret)) return undefined;
    return this.refusal(headers) ?? registryError(403, 40301, `User is denied operation Write on Schema Exporter: ${exporterName}`);
  }

  /** Accepts these credentials from now on and the old ones no longer; issued tokens stay valid until they expire. */
  rotate(auth: SimulatorAuth): void {
    this.auth = auth;
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  /** The registry's answer to a request without valid credentials; undefined lets the request in. */
  refusal(headers: IncomingHttpHeaders): Reply | undefined {
    const auth = this.auth;
    if (auth.kind === 'none') return undefined;
    if (auth.kind === 'basic') {
      return headers.authorization === basicHeader(auth.apiKey, auth.apiSecret) ? undefined : UNAUTHORIZED;
    }
    const token = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    if (expiresAt === undefined || expiresAt <= Date.now()) return UNAUTHORIZED;
    if (headers['target-sr-cluster'] !== auth.logicalCluster) {
      return registryError(401, 401, 'Unauthorized: target-sr-cluster is missing or names another cluster');
    }
    if (auth.identityPoolId !== undefined && headers['confluent-identity-pool-id'] !== auth.identityPoolId) {
      return registryError(403, 403, 'Forbidden: the identity pool has no access to this cluster');
    }
    return undefined;
  }

  /** OAuth client credentials grant; client authentication as HTTP Basic or form fields. */
  issueToken(headers: IncomingHttpHeaders, body: string): Reply {
    const auth = this.auth;
    if (auth.kind !== 'oauth') return NOT_FOUND;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type' }, OAUTH_CONTENT_TYPE);
    }
    const [clientId, clientSecret] = basicCredentials(headers.authorization) ?? [form.get('client_id'), form.get('client_secret')];
    if (clientId !== auth.clientId || clientSecret !== auth.clientSecret) {
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' }, OAUTH_CONTENT_TYPE);
    }
    const lifetime = auth.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_S;
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + lifetime * 1000);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: lifetime }, OAUTH_CONTENT_TYPE);
  }
}
