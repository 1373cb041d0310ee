/**
 * What the messages know about a registry beyond the event itself: its URL and how it
 * authenticates, for the facts and the commands people paste. Nothing secret.
 */

/**
 * How the registry authenticates, for the curl commands. Nothing secret: the commands carry
 * placeholders (`$API_KEY`, `$API_SECRET`, `$TOKEN`) that people fill in themselves. A registry's
 * `AuthConfig` fits as it is (its other fields are ignored).
 */
export interface RegistryAuthContext {
  readonly kind: 'none' | 'basic' | 'oauth';
  /** OAuth: sent as `target-sr-cluster` (lsrc-...); without it the command uses `$LOGICAL_CLUSTER`. */
  readonly logicalCluster?: string;
  /** OAuth: sent as `Confluent-Identity-Pool-Id` when set. */
  readonly identityPoolId?: string;
}

export interface MessageContext {
  /** The registry's base URL, for the curl commands; without it they use `$SCHEMA_REGISTRY_URL`. */
  readonly registryBaseUrl?: string;
  /** How the curl commands authenticate; basic (`-u "$API_KEY:$API_SECRET"`) when absent. */
  readonly registryAuth?: RegistryAuthContext;
  /**
   * Where the monitor runs: network advice differs between the deployed function (VPC, NAT,
   * PrivateLink) and `npm start` on a laptop (VPN, proxy, firewall). The function by default.
   */
  readonly runsOn?: 'lambda' | 'laptop';
  /**
   * The folder of the local store (`npm start` on a laptop), so the operator CLI commands in a
   * message read it (`npm run cli -- --local DIR ...`); without it they read the deployed table
   * (`exporter-monitor ...`).
   */
  readonly localStore?: string;
}
