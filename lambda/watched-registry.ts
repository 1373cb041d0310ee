/**
 * Binds a registry's configuration to a client. The client (and its OAuth token cache) lives as
 * long as the credentials it was built with, so warm invocations reuse both. Credentials the
 * registry refuses are read once more past the cache: after a rotation that revoked the old key
 * at once, the run reads with the new one instead of waiting out the cache unwatched.
 */
import { REGISTRY_DEFAULTS, type RegistryConfig } from './config.js';
import type { RegistryReading } from './core/model.js';
import type { SecretReadOptions } from './credentials.js';
import type { Deadline } from './deadline.js';
import type { ReadResult, WatchedRegistry } from './ports.js';
import { readRegistry } from './registry/read-registry.js';
import { readDefinitions, readLatestSchemas } from './registry/read-replication.js';
import { resumeExporter } from './registry/resume-exporter.js';
import { RegistryClient, type RegistryCredentials } from './registry/registry-client.js';

type CredentialSource = (options?: SecretReadOptions) => Promise<RegistryCredentials>;

export interface WatchOptions {
  /**
   * Resolves the registry's credentials, past any cache when `fresh`; a rejection becomes a
   * 'configuration' failure of this registry.
   */
  readonly credentials: CredentialSource;
  /** The credentials allowed to resume exporters (`autoResume.auth`). Default: `credentials`. */
  readonly resumeCredentials?: CredentialSource;
  /** For tests and the benchmark. */
  readonly fetch?: typeof fetch;
}

const fingerprintOf = (credentials: RegistryCredentials) => JSON.stringify(credentials);

/**
 * A client per set of credentials, kept while they stay the same (the secret rotates rarely), so
 * its OAuth token and its pacing carry over between runs.
 */
function clientCache(config: RegistryConfig, budget: { requestsPerSecond: number; concurrency: number }, fetchFn: typeof fetch | undefined) {
  let cached: { fingerprint: string; client: RegistryClient } | undefined;
  return (credentials: RegistryCredentials): RegistryClient => {
    const fingerprint = fingerprintOf(credentials);
    if (cached?.fingerprint !== fingerprint) {
      cached = {
        fingerprint,
        client: new RegistryClient({ baseUrl: config.baseUrl, credentials, ...budget, requestTimeoutMs: config.requestTimeoutMs, ...(fetchFn && { fetch: fetchFn }) }),
      };
    }
    return cached.client;
  };
}

export function watchRegistry(config: RegistryConfig, options: WatchOptions): WatchedRegistry {
  const clientFor = clientCache(config, { requestsPerSecond: config.requestsPerSecond, concurrency: config.concurrency }, options.fetch);
  // Resumes spend the registry's write budget, which production shares: their own queue, one at a time.
  const writerFor = clientCache(config, { requestsPerSecond: config.autoResume?.writesPerSecond ?? REGISTRY_DEFAULTS.writesPerSecond, concurrency: 1 }, options.fetch);
  /** Reads beyond the statuses use the credentials as they are; a refusal is a failure of that read. */
  const withClient = async <T>(
    credentials: CredentialSource,
    clients: (credentials: RegistryCredentials) => RegistryClient,
    call: (client: RegistryClient) => Promise<ReadResult<T>>,
  ): Promise<ReadResult<T>> => {
    try {
      return await call(clients(await credentials()));
    } catch (error) {
      return { failures: [{ kind: 'configuration', message: (error as Error).message }], requestCount: 0 };
    }
  };
  const reader = <T>(call: (client: RegistryClient) => Promise<ReadResult<T>>) => withClient(options.credentials, clientFor, call);
  return {
    config,
    readDefinitions: (names, deadline) => reader((client) => readDefinitions(client, names, deadline)),
    listLatestSchemas: (deadline) => reader((client) => readLatestSchemas(client, deadline)),
    resume: (name, deadline) => withClient(options.resumeCredentials ?? options.credentials, writerFor, (client) => resumeExporter(client, name, deadline)),
    async read(knownExporters: readonly string[], deadline: Deadline, resumeAt?: string): Promise<RegistryReading> {
      const readWith = (credentials: RegistryCredentials) => readRegistry(config, clientFor(credentials), knownExporters, deadline, { resumeAt });
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
