/**
 * Binds a registry's configuration to a client. The client (and its OAuth token cache) lives as
 * long as the credentials it was built with, so warm invocations reuse both. Credentials the
 * registry refuses are read once more past the cache: after a rotation that revoked the old key
 * at once, the run reads with the new one instead of waiting out the cache unwatched.
 */
import type { RegistryConfig } from './config.js';
import type { RegistryReading } from './core/model.js';
import type { SecretReadOptions } from './credentials.js';
import type { Deadline } from './deadline.js';
import type { ReadResult, WatchedRegistry } from './ports.js';
import { readRegistry } from './registry/read-registry.js';
import { readDefinitions, readLatestSchemas } from './registry/read-replication.js';
import { RegistryClient, type RegistryCredentials } from './registry/registry-client.js';

export interface WatchOptions {
  /**
   * Resolves the registry's credentials, past any cache when `fresh`; a rejection becomes a
   * 'configuration' failure of this registry.
   */
  readonly credentials: (options?: SecretReadOptions) => Promise<RegistryCredentials>;
  /** For tests and the benchmark. */
  readonly fetch?: typeof fetch;
}

const fingerprintOf = (credentials: RegistryCredentials) => JSON.stringify(credentials);

export function watchRegistry(config: RegistryConfig, options: WatchOptions): WatchedRegistry {
  let cached: { fingerprint: string; client: RegistryClient } | undefined;
  // Same credentials (the secret rotates rarely): keep the client and its OAuth token.
  const clientFor = (credentials: RegistryCredentials): RegistryClient => {
    const fingerprint = fingerprintOf(credentials);
    if (cached?.fingerprint !== fingerprint) {
      cached = {
        fingerprint,
        client: new RegistryClient({
          baseUrl: config.baseUrl,
          credentials,
          requestsPerSecond: config.requestsPerSecond,
          concurrency: config.concurrency,
          requestTimeoutMs: config.requestTimeoutMs,
          ...(options.fetch && { fetch: options.fetch }),
        }),
      };
    }
    return cached.client;
  };
  /** Reads beyond the statuses use the credentials as they are; a refusal is a failure of that read. */
  const withClient = async <T>(read: (client: RegistryClient) => Promise<ReadResult<T>>): Promise<ReadResult<T>> => {
    try {
      return await read(clientFor(await options.credentials()));
    } catch (error) {
      return { failures: [{ kind: 'configuration', message: (error as Error).message }], requestCount: 0 };
    }
  };
  return {
    config,
    readDefinitions: (names, deadline) => withClient((client) => readDefinitions(client, names, deadline)),
    listLatestSchemas: (deadline) => withClient((client) => readLatestSchemas(client, deadline)),
    async read(knownExporters: readonly string[], deadline: Deadline, resumeAt?: string): Promise<RegistryReading> {
      const readWith = (credentials: RegistryCredentials) => readRegistry(config, clientFor(credentials), knownExporters, deadline, resumeAt);
      let credentials: RegistryCredentials;
      try {
        credentials = await options.credentials();
      } catch (error) {
        return {
          registryId: config.id,
          observations: new Map(),
          failures: [{ kind: 'configuration', message: (error as Error).message }],
          skipped: [],
          requestCount: 0,
        };
      }
      const reading = await readWith(credentials);
      if (!reading.failures.some((failure) => failure.kind === 'credentials')) return reading;
      // Once per run, so credentials that are simply wrong cost one extra secret read, not a loop.
      let current: RegistryCredentials;
      try {
        current = await options.credentials({ fresh: true });
      } catch {
        // The refusal is what this run learned; an unreadable secret shows up once the cache expires.
        return reading;
      }
      if (fingerprintOf(current) === fingerprintOf(credentials)) return reading;
      // Rotated: the refused reading is replaced, but its requests were sent and still count.
      const again = await readWith(current);
      return { ...again, requestCount: reading.requestCount + again.requestCount };
    },
  };
}
