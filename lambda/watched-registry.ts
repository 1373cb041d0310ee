/**
 * Binds a registry's configuration to a client. The client (and its OAuth token cache) lives as
 * long as the credentials it was built with, so warm invocations reuse both.
 */
import type { RegistryConfig } from './config.js';
import type { RegistryReading } from './core/model.js';
import type { Deadline } from './deadline.js';
import type { WatchedRegistry } from './monitor.js';
import { RegistryClient, type RegistryCredentials, readRegistry } from './registry/registry-client.js';

export interface WatchOptions {
  /** Resolves the registry's credentials; a rejection becomes a 'configuration' failure of this registry. */
  readonly credentials: () => Promise<RegistryCredentials>;
  /** For tests and the benchmark. */
  readonly fetch?: typeof fetch;
}

export function watchRegistry(config: RegistryConfig, options: WatchOptions): WatchedRegistry {
  let cached: { fingerprint: string; client: RegistryClient } | undefined;
  return {
    config,
    async read(knownExporters: readonly string[], deadline: Deadline, resumeAt?: string): Promise<RegistryReading> {
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
      // Same credentials (the secret rotates rarely): keep the client and its OAuth token.
      const fingerprint = JSON.stringify(credentials);
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
      return readRegistry(config, cached.client, knownExporters, deadline, resumeAt);
    },
  };
}
