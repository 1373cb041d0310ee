/**
 * The monitor's configuration: one document that the CDK app builds from context and the
 * function reads from its environment. Parsed and validated here, once, for both sides, so a
 * bad value fails `cdk synth` with the same message the function would give.
 */
import { type AlertPolicy, DEFAULT_POLICY } from './core/policy.js';

/** Where the credentials are kept: a Secrets Manager secret, and the KMS key it is encrypted with. */
interface SecretLocation {
  readonly secretId: string;
  /**
   * ARN of the customer-managed KMS key the secret is encrypted with. Absent: the default
   * `aws/secretsmanager` key, which needs no grant.
   */
  readonly secretKmsKeyArn?: string;
}

export type AuthConfig =
  | { readonly kind: 'none' }
  /** Confluent Cloud API key, or Platform basic auth. The secret holds `{"apiKey": "...", "apiSecret": "..."}`. */
  | ({ readonly kind: 'basic' } & SecretLocation)
  /**
   * OAuth client credentials. The secret holds `{"clientId": "...", "clientSecret": "..."}`;
   * the rest is not secret and lives here.
   */
  | ({
      readonly kind: 'oauth';
      readonly tokenUrl: string;
      /** Sent as `target-sr-cluster` (lsrc-...). */
      readonly logicalCluster: string;
      /** Sent as `Confluent-Identity-Pool-Id` when set. */
      readonly identityPoolId?: string;
      readonly scope?: string;
    } & SecretLocation);

export interface RegistryConfig {
  /** Short name used in alerts, metrics and the table: letters, digits, `-` and `_`, at most 32. */
  readonly id: string;
  /** For example `https://psrc-00000.region.provider.confluent.cloud`. No trailing path needed. */
  readonly baseUrl: string;
  readonly auth: AuthConfig;
  /**
   * Exporter names to watch, 'all' to discover them with `GET /exporters` on every run, or 'none'
   * for a registry that is only read as other registries' exporters' destination.
   */
  readonly exporters: 'all' | 'none' | readonly string[];
  /**
   * Exporter name or glob -> id of the configured registry it copies to, for drift verification.
   * Exporters not named here are paired by the destination URL in their definition.
   */
  readonly destinations: Readonly<Record<string, string>>;
  /** With 'all': glob patterns an exporter name must match (any of them). Empty: every exporter. */
  readonly include: readonly string[];
  /** With 'all': glob patterns that exclude an exporter. */
  readonly exclude: readonly string[];
  /** Request budget against this registry. Confluent Cloud allows 75 reads/s per cluster, shared with production. */
  readonly requestsPerSecond: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Timeout of one HTTP request. */
  readonly requestTimeoutMs: number;
  /** Allow an `http://` base URL (a lab registry). Credentials would travel in clear text. */
  readonly allowInsecureHttp: boolean;
  readonly policy: AlertPolicy;
}

export interface MonitorConfig {
  readonly registries: readonly RegistryConfig[];
  /** How long history items are kept (DynamoDB TTL). */
  readonly historyRetentionDays: number;
}

export const REGISTRY_DEFAULTS = {
  requestsPerSecond: 20,
  concurrency: 4,
  requestTimeoutMs: 5_000,
  historyRetentionDays: 90,
} as const;

/** A configuration problem, with the path of the offending field (e.g. `registries[1].baseUrl`). */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Json = Record<string, unknown>;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** A KMS key by ARN (an alias ARN cannot be granted kms:Decrypt); multi-Region keys have `mrk-` ids. */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:mrk-)?[0-9a-f-]{32,36}$/;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A misspelt setting would otherwise be ignored silently and its default used instead. */
function rejectUnknownKeys(source: Json, field: string, known: readonly string[]): void {
  const unknown = Object.keys(source).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new ConfigError(field === '' ? unknown : `${field}.${unknown}`, `is not a setting (known: ${known.join(', ')})`);
  }
}

function optionalNumber(source: Json, key: string, field: string, fallback: number, min: number, max: number): number {
  const value = source[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${field}.${key}`, `must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Counts (checks, requests in flight) are whole numbers: 2.5 concurrent requests means nothing. */
function optionalCount(source: Json, key: string, field: string, fallback: number, max: number): number {
  const value = optionalNumber(source, key, field, fallback, 1, max);
  if (!Number.isInteger(value)) throw new ConfigError(`${field}.${key}`, `must be a whole number, got ${value}`);
  return value;
}

function requiredString(source: Json, key: string, field: string): string {
  const value = source[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`${field}.${key}`, 'is required and must be a non-empty string');
  }
  return value;
}

function optionalString(source: Json, key: string, field: string): string | undefined {
  return source[key] === undefined ? undefined : requiredString(source, key, field);
}

function stringList(source: Json, key: string, field: string): string[] {
  const value = source[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new ConfigError(`${field}.${key}`, 'must be a list of non-empty strings');
  }
  return value as string[];
}

/** Checks a URL the monitor will send credentials to. */
export function parseUrl(value: string, field: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(field, `is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.username || url.password) {
    throw new ConfigError(field, 'must not contain credentials; put them in the Secrets Manager secret');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowInsecureHttp) return url;
  throw new ConfigError(
    field,
    url.protocol === 'http:'
      ? 'must use https (set allowInsecureHttp: true only for a lab registry)'
      : `must be an https URL, got ${url.protocol}`,
  );
}

function parseSecretLocation(source: Json, field: string): SecretLocation {
  const secretKmsKeyArn = optionalString(source, 'secretKmsKeyArn', field);
  if (secretKmsKeyArn !== undefined && !KMS_KEY_ARN.test(secretKmsKeyArn)) {
    throw new ConfigError(
      `${field}.secretKmsKeyArn`,
      `must be the ARN of a KMS key (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), got ${JSON.stringify(secretKmsKeyArn)}`,
    );
  }
  return { secretId: requiredString(source, 'secretId', field), ...(secretKmsKeyArn === undefined ? {} : { secretKmsKeyArn }) };
}

function parseAuth(source: unknown, field: string): AuthConfig {
  if (source === undefined) return { kind: 'none' };
  if (!isObject(source)) throw new ConfigError(field, 'must be an object with a "kind"');
  rejectUnknownKeys(source, field, ['kind', 'secretId', 'secretKmsKeyArn', 'tokenUrl', 'logicalCluster', 'identityPoolId', 'scope']);
  switch (source.kind) {
    case 'none':
      return { kind: 'none' };
    case 'basic':
      return { kind: 'basic', ...parseSecretLocation(source, field) };
    case 'oauth': {
      const tokenUrl = requiredString(source, 'tokenUrl', field);
      parseUrl(tokenUrl, `${field}.tokenUrl`, false);
      const identityPoolId = optionalString(source, 'identityPoolId', field);
      const scope = optionalString(source, 'scope', field);
      return {
        kind: 'oauth',
        ...parseSecretLocation(source, field),
        tokenUrl,
        logicalCluster: requiredString(source, 'logicalCluster', field),
        ...(identityPoolId === undefined ? {} : { identityPoolId }),
        ...(scope === undefined ? {} : { scope }),
      };
    }
    default:
      throw new ConfigError(`${field}.kind`, `must be one of none, basic, oauth; got ${JSON.stringify(source.kind)}`);
  }
}

function parsePolicy(source: unknown, field: string): AlertPolicy {
  if (source === undefined) return DEFAULT_POLICY;
  if (!isObject(source)) throw new ConfigError(field, 'must be an object');
  rejectUnknownKeys(source, field, [
    'unhealthyChecks',
    'recoveryChecks',
    'stuckAfterMinutes',
    'startingCeilingHours',
    'stallAfterMinutes',
    'sourceCheckMinutes',
    'definitionRefreshMinutes',
    'driftCheckMinutes',
    'driftGraceMinutes',
    'reminderIntervalMinutes',
  ]);
  const minutes = (key: string, fallbackMs: number, min: number) =>
    optionalNumber(source, key, field, fallbackMs / 60_000, min, 7 * 24 * 60) * 60_000;
  return {
    unhealthyChecks: optionalCount(source, 'unhealthyChecks', field, DEFAULT_POLICY.unhealthyChecks, 100),
    recoveryChecks: optionalCount(source, 'recoveryChecks', field, DEFAULT_POLICY.recoveryChecks, 100),
    stuckAfterMs: minutes('stuckAfterMinutes', DEFAULT_POLICY.stuckAfterMs, 1),
    startingCeilingMs: optionalNumber(source, 'startingCeilingHours', field, DEFAULT_POLICY.startingCeilingMs / 3_600_000, 1, 7 * 24) * 3_600_000,
    stallAfterMs: minutes('stallAfterMinutes', DEFAULT_POLICY.stallAfterMs, 1),
    sourceCheckIntervalMs: minutes('sourceCheckMinutes', DEFAULT_POLICY.sourceCheckIntervalMs, 1),
    definitionRefreshMs: minutes('definitionRefreshMinutes', DEFAULT_POLICY.definitionRefreshMs, 1),
    driftCheckIntervalMs: minutes('driftCheckMinutes', DEFAULT_POLICY.driftCheckIntervalMs, 1),
    driftGraceMs: minutes('driftGraceMinutes', DEFAULT_POLICY.driftGraceMs, 0),
    reminderIntervalMs: minutes('reminderIntervalMinutes', DEFAULT_POLICY.reminderIntervalMs, 0),
  };
}

const REGISTRY_KEYS = [
  'id',
  'baseUrl',
  'auth',
  'exporters',
  'destinations',
  'include',
  'exclude',
  'requestsPerSecond',
  'concurrency',
  'requestTimeoutMs',
  'allowInsecureHttp',
  'policy',
];

export function parseRegistryConfig(source: unknown, field: string): RegistryConfig {
  if (!isObject(source)) throw new ConfigError(field, 'must be an object');
  rejectUnknownKeys(source, field, REGISTRY_KEYS);
  const id = requiredString(source, 'id', field);
  if (!ID_PATTERN.test(id)) {
    throw new ConfigError(`${field}.id`, 'must be 1 to 32 letters, digits, "-" or "_"');
  }
  const allowInsecureHttp = source.allowInsecureHttp === true;
  const baseUrl = requiredString(source, 'baseUrl', field);
  parseUrl(baseUrl, `${field}.baseUrl`, allowInsecureHttp);
  const exporters = source.exporters ?? 'all';
  if (
    exporters !== 'all' &&
    exporters !== 'none' &&
    (!Array.isArray(exporters) || exporters.length === 0 || exporters.some((n) => typeof n !== 'string' || n === ''))
  ) {
    throw new ConfigError(`${field}.exporters`, 'must be "all", "none" or a non-empty list of exporter names');
  }
  const destinations = source.destinations ?? {};
  if (!isObject(destinations) || Object.entries(destinations).some(([name, id]) => name === '' || typeof id !== 'string' || !ID_PATTERN.test(id))) {
    throw new ConfigError(`${field}.destinations`, 'must map exporter names or globs to registry ids, like {"*": "dr-registry"}');
  }
  return {
    id,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    auth: parseAuth(source.auth, `${field}.auth`),
    exporters: exporters as 'all' | 'none' | string[],
    destinations: destinations as Record<string, string>,
    include: stringList(source, 'include', field),
    exclude: stringList(source, 'exclude', field),
    requestsPerSecond: optionalNumber(source, 'requestsPerSecond', field, REGISTRY_DEFAULTS.requestsPerSecond, 0.1, 75),
    concurrency: optionalCount(source, 'concurrency', field, REGISTRY_DEFAULTS.concurrency, 64),
    requestTimeoutMs: optionalNumber(source, 'requestTimeoutMs', field, REGISTRY_DEFAULTS.requestTimeoutMs, 100, 60_000),
    allowInsecureHttp,
    policy: parsePolicy(source.policy, `${field}.policy`),
  };
}

/** A configuration document, given as an object or as its JSON text, checked to be an object with only `known` keys. */
export function configDocument(source: unknown, known: readonly string[]): Json {
  let document = source;
  if (typeof source === 'string') {
    try {
      document = JSON.parse(source);
    } catch (error) {
      throw new ConfigError('config', `is not valid JSON (${(error as Error).message})`);
    }
  }
  if (!isObject(document)) throw new ConfigError('config', 'must be an object with "registries"');
  rejectUnknownKeys(document, '', known);
  return document;
}

/** Parses and validates the whole configuration document (an object or its JSON text). */
export function parseMonitorConfig(source: unknown): MonitorConfig {
  const document = configDocument(source, ['registries', 'historyRetentionDays']);
  if (!Array.isArray(document.registries) || document.registries.length === 0) {
    throw new ConfigError('registries', 'must list at least one registry');
  }
  const registries = document.registries.map((registry, index) => parseRegistryConfig(registry, `registries[${index}]`));
  const seen = new Set<string>();
  registries.forEach((registry, index) => {
    if (seen.has(registry.id)) throw new ConfigError(`registries[${index}].id`, `duplicates the id "${registry.id}"`);
    seen.add(registry.id);
  });
  registries.forEach((registry, index) => {
    const unknown = Object.values(registry.destinations).find((id) => !seen.has(id) || id === registry.id);
    if (unknown !== undefined) {
      throw new ConfigError(`registries[${index}].destinations`, `names "${unknown}", which is not another registry of this configuration`);
    }
  });
  return {
    registries,
    historyRetentionDays: optionalNumber(document, 'historyRetentionDays', 'config', REGISTRY_DEFAULTS.historyRetentionDays, 1, 3650),
  };
}
