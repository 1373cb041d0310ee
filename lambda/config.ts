/**
 * The monitor's configuration: one document that the CDK app builds from context and the
 * function reads from its environment. Parsed and validated here (with the zod schema of
 * config-schema.ts), once, for both sides, so a bad value fails `cdk synth` with the same message
 * the function would give, and every problem is said at once.
 */
import type { core } from 'zod/mini';
import {
  authSchema,
  type AutoResumeInput,
  autoResumeSchema,
  monitorDocumentSchema,
  policySchema,
  REGISTRY_DEFAULTS,
  type RegistryInput,
  registrySchema,
} from './config-schema.js';
import { type AlertPolicy, type AutoResumePolicy, DEFAULT_AUTO_RESUME, DEFAULT_POLICY } from './core/policy.js';

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

/** Auto-resume as a registry opted in to it: the rules, and how resumes are sent. */
export interface AutoResumeConfig extends AutoResumePolicy {
  /** Resumes per second at most, apart from the read budget. */
  readonly writesPerSecond: number;
  /** Credentials allowed to resume; undefined: the registry's own `auth`. */
  readonly auth?: AuthConfig;
}

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
  /** Undefined unless the registry opted in to auto-resume (`autoResume.enabled`). */
  readonly autoResume?: AutoResumeConfig;
}

export interface MonitorConfig {
  readonly registries: readonly RegistryConfig[];
  /** How long history items are kept (DynamoDB TTL). */
  readonly historyRetentionDays: number;
}

export { REGISTRY_DEFAULTS } from './config-schema.js';

/** One problem of a configuration, at the path of the field the user wrote (e.g. `registries[1].baseUrl`). */
export interface ConfigProblem {
  readonly field: string;
  readonly problem: string;
}

/** Every problem of a configuration, said at once in one line; `field` is the first one's. */
export class ConfigError extends Error {
  readonly field: string;
  readonly problems: readonly ConfigProblem[];

  constructor(field: string, problem: string, more: readonly ConfigProblem[] = []) {
    const problems = [{ field, problem }, ...more];
    super(problems.map((each) => `${each.field}: ${each.problem}`).join('; '));
    this.name = 'ConfigError';
    this.field = field;
    this.problems = problems;
  }

  static of(problems: readonly ConfigProblem[]): ConfigError {
    const [first, ...more] = problems;
    return new ConfigError(first!.field, first!.problem, more);
  }
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a URL the monitor will send credentials to; the problem, or undefined when it is fine. */
function urlProblem(value: string, allowInsecureHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a valid URL: ${JSON.stringify(value)}`;
  }
  if (url.username || url.password) return 'must not contain credentials; put them in the Secrets Manager secret';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && allowInsecureHttp)) return undefined;
  return url.protocol === 'http:' ? 'must use https (set allowInsecureHttp: true only for a lab registry)' : `must be an https URL, got ${url.protocol}`;
}

/** Checks a URL the monitor will send credentials to. */
export function parseUrl(value: string, field: string, allowInsecureHttp: boolean): URL {
  const problem = urlProblem(value, allowInsecureHttp);
  if (problem !== undefined) throw new ConfigError(field, problem);
  return new URL(value);
}

/** `['registries', 0, 'baseUrl']` under `prefix` -> `prefix.registries[0].baseUrl`. */
function fieldOf(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((field, part) => (typeof part === 'number' ? `${field}[${part}]` : field === '' ? String(part) : `${field}.${String(part)}`), prefix);
}

/** zod's issues of a whole document (the function's, or cdk.json's) as problems at the user's field names. */
export function configProblems(error: core.$ZodError): ConfigProblem[] {
  return problemsOf(error, '', knownKeys);
}

/** zod's issues in the words of this configuration: the user's field names, a misspelt key named as such. */
function problemsOf(error: core.$ZodError, prefix: string, known: (path: readonly PropertyKey[]) => readonly string[]): ConfigProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: fieldOf(prefix, [...issue.path, key]), problem: `is not a setting (known: ${known(issue.path).join(', ')})` }));
    }
    return [{ field: fieldOf(prefix, issue.path) || 'config', problem: issue.message }];
  });
}

/** The settings an object at `path` of the document may have, for "is not a setting" messages. */
function knownKeys(path: readonly PropertyKey[]): readonly string[] {
  const names = path.filter((part) => typeof part === 'string');
  const last = names.at(-1);
  if (last === 'auth') return Object.keys(authSchema.shape);
  if (last === 'policy') return Object.keys(policySchema.shape);
  if (last === 'autoResume') return Object.keys(autoResumeSchema.shape);
  if (last === 'registries') return Object.keys(registrySchema.shape);
  if (last === 'slack') return ['workspaceId', 'channelId'];
  if (last === 'teams') return ['teamId', 'channelId', 'tenantId'];
  return Object.keys(monitorDocumentSchema.shape);
}

/** Problems no single field shows: URLs (https unless allowed) and the OAuth token endpoint. */
function urlProblems(input: RegistryInput, field: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const base = urlProblem(input.baseUrl, input.allowInsecureHttp === true);
  if (base !== undefined) problems.push({ field: `${field}.baseUrl`, problem: base });
  for (const [where, auth] of [['auth', input.auth], ['autoResume.auth', input.autoResume?.auth]] as const) {
    const token = auth?.tokenUrl === undefined ? undefined : urlProblem(auth.tokenUrl, false);
    if (token !== undefined) problems.push({ field: `${field}.${where}.tokenUrl`, problem: token });
  }
  return problems;
}

function toAuth(input: RegistryInput['auth']): AuthConfig {
  if (input === undefined || input.kind === 'none') return { kind: 'none' };
  const location = { secretId: input.secretId!, ...(input.secretKmsKeyArn !== undefined && { secretKmsKeyArn: input.secretKmsKeyArn }) };
  if (input.kind === 'basic') return { kind: 'basic', ...location };
  return {
    kind: 'oauth',
    ...location,
    tokenUrl: input.tokenUrl!,
    logicalCluster: input.logicalCluster!,
    ...(input.identityPoolId !== undefined && { identityPoolId: input.identityPoolId }),
    ...(input.scope !== undefined && { scope: input.scope }),
  };
}

const MINUTE_MS = 60_000;

function toPolicy(input: RegistryInput['policy']): AlertPolicy {
  const minutes = (value: number | undefined, fallbackMs: number) => (value === undefined ? fallbackMs : value * MINUTE_MS);
  const policy = input ?? {};
  return {
    unhealthyChecks: policy.unhealthyChecks ?? DEFAULT_POLICY.unhealthyChecks,
    recoveryChecks: policy.recoveryChecks ?? DEFAULT_POLICY.recoveryChecks,
    stuckAfterMs: minutes(policy.stuckAfterMinutes, DEFAULT_POLICY.stuckAfterMs),
    startingCeilingMs: policy.startingCeilingHours === undefined ? DEFAULT_POLICY.startingCeilingMs : policy.startingCeilingHours * 60 * MINUTE_MS,
    stallAfterMs: minutes(policy.stallAfterMinutes, DEFAULT_POLICY.stallAfterMs),
    sourceCheckIntervalMs: minutes(policy.sourceCheckMinutes, DEFAULT_POLICY.sourceCheckIntervalMs),
    definitionRefreshMs: minutes(policy.definitionRefreshMinutes, DEFAULT_POLICY.definitionRefreshMs),
    driftCheckIntervalMs: minutes(policy.driftCheckMinutes, DEFAULT_POLICY.driftCheckIntervalMs),
    driftGraceMs: minutes(policy.driftGraceMinutes, DEFAULT_POLICY.driftGraceMs),
    reminderIntervalMs: minutes(policy.reminderIntervalMinutes, DEFAULT_POLICY.reminderIntervalMs),
  };
}

function toAutoResume(input: AutoResumeInput | undefined): AutoResumeConfig | undefined {
  if (input?.enabled !== true) return undefined;
  return {
    dryRun: input.dryRun === true,
    maxAttempts: input.maxAttempts ?? DEFAULT_AUTO_RESUME.maxAttempts,
    backoffCapMs: input.backoffCapMinutes === undefined ? DEFAULT_AUTO_RESUME.backoffCapMs : input.backoffCapMinutes * MINUTE_MS,
    resetAfterMs: input.resetAfterMinutes === undefined ? DEFAULT_AUTO_RESUME.resetAfterMs : input.resetAfterMinutes * MINUTE_MS,
    writesPerSecond: input.writesPerSecond ?? REGISTRY_DEFAULTS.writesPerSecond,
    ...(input.auth !== undefined && { auth: toAuth(input.auth) }),
  };
}

function toRegistry(input: RegistryInput): RegistryConfig {
  const autoResume = toAutoResume(input.autoResume);
  return {
    id: input.id,
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    auth: toAuth(input.auth),
    exporters: input.exporters ?? 'all',
    destinations: input.destinations ?? {},
    include: input.include ?? [],
    exclude: input.exclude ?? [],
    requestsPerSecond: input.requestsPerSecond ?? REGISTRY_DEFAULTS.requestsPerSecond,
    concurrency: input.concurrency ?? REGISTRY_DEFAULTS.concurrency,
    requestTimeoutMs: input.requestTimeoutMs ?? REGISTRY_DEFAULTS.requestTimeoutMs,
    allowInsecureHttp: input.allowInsecureHttp === true,
    policy: toPolicy(input.policy),
    ...(autoResume !== undefined && { autoResume }),
  };
}

/** One registry's configuration (`field` names it in messages), with every problem at once. */
export function parseRegistryConfig(source: unknown, field: string): RegistryConfig {
  const parsed = registrySchema.safeParse(source);
  if (!parsed.success) throw ConfigError.of(problemsOf(parsed.error, field, (path) => knownKeys(['registries', ...path])));
  const problems = urlProblems(parsed.data, field);
  if (problems.length > 0) throw ConfigError.of(problems);
  return toRegistry(parsed.data);
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
  const unknown = Object.keys(document).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw ConfigError.of(unknown.map((key) => ({ field: key, problem: `is not a setting (known: ${known.join(', ')})` })));
  return document;
}

/** Parses and validates the whole configuration document (an object or its JSON text), reporting every problem at once. */
export function parseMonitorConfig(source: unknown): MonitorConfig {
  const document = configDocument(source, Object.keys(monitorDocumentSchema.shape));
  const parsed = monitorDocumentSchema.safeParse(document);
  if (!parsed.success) throw ConfigError.of(configProblems(parsed.error));
  const inputs = parsed.data.registries;
  const problems = inputs.flatMap((input, index) => urlProblems(input, `registries[${index}]`));
  const ids = inputs.map((input) => input.id);
  inputs.forEach((input, index) => {
    if (ids.indexOf(input.id) !== index) problems.push({ field: `registries[${index}].id`, problem: `duplicates the id "${input.id}"` });
    const stranger = Object.values(input.destinations ?? {}).find((id) => !ids.includes(id) || id === input.id);
    if (stranger !== undefined) {
      problems.push({ field: `registries[${index}].destinations`, problem: `names "${stranger}", which is not another registry of this configuration` });
    }
  });
  if (problems.length > 0) throw ConfigError.of(problems);
  return { registries: inputs.map(toRegistry), historyRetentionDays: parsed.data.historyRetentionDays ?? REGISTRY_DEFAULTS.historyRetentionDays };
}
