/**
 * Validates {@link ExporterMonitorProps} and fills in the defaults, before any resource exists, so a bad value
 * fails `cdk synth` with a message naming the field (the same `ConfigError` shape the function uses).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type AuthConfig, ConfigError, type MonitorConfig, parseMonitorConfig, REGISTRY_DEFAULTS } from '../lambda/config.js';
import { encodeConfigEnv, MAX_CONFIG_ENV_BYTES } from '../lambda/config-env.js';
import { readingWindowMs, START_MARGIN_MS } from '../lambda/deadline.js';
import type { ExporterMonitorProps, SlackChannelProps, TeamsChannelProps } from './exporter-monitor-props.js';

/** The props after validation, with every default applied. */
export interface ResolvedMonitorProps {
  /** The validated configuration document, as passed to the function in `MONITOR_CONFIG` (config-env.ts: JSON, or compressed when long). */
  readonly configEnv: string;
  /** How many days history items are kept, as in `configEnv`. */
  readonly historyRetentionDays: number;
  readonly schedule: Duration;
  readonly functionTimeout: Duration;
  readonly memorySize: number;
  readonly tableRemovalPolicy: RemovalPolicy;
  readonly logRetention: RetentionDays;
  readonly notificationEmails: readonly string[];
  readonly slack?: SlackChannelProps;
  readonly teams?: TeamsChannelProps;
  readonly dashboard: boolean;
  /** The registries whose exporters are watched (not those read only as a destination). */
  readonly watchedRegistryIds: readonly string[];
  /** The Secrets Manager secrets the function reads (each registry's, and a resume key of its own), as configured (a name or an ARN). */
  readonly secrets: readonly RegistrySecret[];
}

export interface RegistrySecret {
  /** The registry's id, or `ID-resume` for the key it resumes exporters with. */
  readonly registryId: string;
  readonly secretId: string;
  /** The customer-managed KMS key the secret is encrypted with, if any. */
  readonly kmsKeyArn?: string;
}

const MINUTE_MS = 60_000;
/** The longest run Lambda allows. */
const MAX_TIMEOUT = Duration.minutes(15);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** The patterns CloudFormation enforces for AWS::Chatbot::SlackChannelConfiguration. */
const SLACK_WORKSPACE_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]+$/;
/** The patterns CloudFormation enforces for AWS::Chatbot::MicrosoftTeamsChannelConfiguration. */
const GUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const TEAMS_CHANNEL_ID = /^[\w\-=+/.,]*%3[aA][\w\-=+/.,]*%40[\w\-=+/.,]*$/;
/** What Secrets Manager accepts as a secret name, and the ARN that may stand for it. */
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;

function resolveSchedule(schedule: Duration): Duration {
  const ms = schedule.toMilliseconds();
  // EventBridge Scheduler rates are whole minutes; past an hour the monitor would notice a broken exporter too late
  // (and the heartbeat alarm, 3 periods long, would outgrow what a single CloudWatch period allows).
  if (ms % MINUTE_MS !== 0 || ms < MINUTE_MS || ms > 60 * MINUTE_MS) {
    throw new ConfigError('schedule', `must be a whole number of minutes from 1 minute to 1 hour, got ${schedule.toHumanString()}`);
  }
  return schedule;
}

function resolveTimeout(timeout: Duration | undefined, schedule: Duration): Duration {
  const resolved = timeout ?? Duration.seconds(Math.min(schedule.toSeconds() - 10, 55));
  const ms = resolved.toMilliseconds();
  if (ms % 1000 !== 0 || ms < 1000 || ms > MAX_TIMEOUT.toMilliseconds()) {
    throw new ConfigError('functionTimeout', `must be whole seconds from 1 second to 15 minutes, got ${resolved.toHumanString()}`);
  }
  // reserved concurrency 1 would throttle a run that starts while the previous one is still going
  if (ms >= schedule.toMilliseconds()) {
    throw new ConfigError(
      'functionTimeout',
      `must be shorter than the schedule (${schedule.toHumanString()}) so runs never overlap, got ${resolved.toHumanString()}`,
    );
  }
  return resolved;
}

function resolveInteger(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function resolveHistoryRetentionDays(retention: Duration): number {
  const ms = retention.toMilliseconds();
  const dayMs = Duration.days(1).toMilliseconds();
  if (ms % dayMs !== 0) throw new ConfigError('historyRetention', `must be whole days, got ${retention.toHumanString()}`);
  return resolveInteger(ms / dayMs, 'historyRetention', 1, 3650);
}

function resolveEmails(emails: readonly string[]): readonly string[] {
  emails.forEach((email, index) => {
    const field = `notificationEmails[${index}]`;
    if (!EMAIL.test(email)) throw new ConfigError(field, `is not an email address: ${JSON.stringify(email)}`);
    if (emails.indexOf(email) !== index) throw new ConfigError(field, `duplicates ${JSON.stringify(email)}`);
  });
  return emails;
}

function resolveSlack(slack: SlackChannelProps | undefined): SlackChannelProps | undefined {
  if (slack === undefined) return undefined;
  if (!SLACK_WORKSPACE_ID.test(slack.workspaceId)) {
    throw new ConfigError('slack.workspaceId', `must be the workspace id from the AWS Chatbot console (like T012ABCDE), got ${JSON.stringify(slack.workspaceId)}`);
  }
  if (!SLACK_CHANNEL_ID.test(slack.channelId)) {
    throw new ConfigError('slack.channelId', `must be a Slack channel id (like C012ABCDE), got ${JSON.stringify(slack.channelId)}`);
  }
  return slack;
}

function resolveTeams(teams: TeamsChannelProps | undefined): TeamsChannelProps | undefined {
  if (teams === undefined) return undefined;
  for (const field of ['teamId', 'tenantId'] as const) {
    if (!GUID.test(teams[field])) {
      throw new ConfigError(`teams.${field}`, `must be the ${field === 'teamId' ? 'team' : 'tenant'} id from the AWS Chatbot console (a GUID), got ${JSON.stringify(teams[field])}`);
    }
  }
  if (!TEAMS_CHANNEL_ID.test(teams.channelId)) {
    throw new ConfigError(
      'teams.channelId',
      `must be the channel id as URL-encoded in the channel's link (like 19%3a...%40thread.tacv2), got ${JSON.stringify(teams.channelId)}`,
    );
  }
  return teams;
}

/** Every secret the function reads: each registry's, and the key it resumes exporters with when that is another. */
function resolveSecrets(config: MonitorConfig): readonly RegistrySecret[] {
  return config.registries.flatMap((registry, index) => [
    ...secretOf(registry.auth, registry.id, `registries[${index}].auth`),
    ...(registry.autoResume?.auth ? secretOf(registry.autoResume.auth, `${registry.id}-resume`, `registries[${index}].autoResume.auth`) : []),
  ]);
}

function secretOf(auth: AuthConfig, registryId: string, field: string): RegistrySecret[] {
  if (auth.kind === 'none') return [];
  const { secretId, secretKmsKeyArn } = auth;
  // an ARN can only be granted if it is one; anything else must be a name the function can look up
  if (secretId.startsWith('arn:') ? !SECRET_ARN.test(secretId) : !SECRET_NAME.test(secretId)) {
    throw new ConfigError(`${field}.secretId`, `must be a Secrets Manager secret name or ARN, got ${JSON.stringify(secretId)}`);
  }
  return [{ registryId, secretId, ...(secretKmsKeyArn === undefined ? {} : { kmsKeyArn: secretKmsKeyArn }) }];
}

/**
 * The registry client starts no request without its full timeout (plus a margin) left in the run's
 * reading window: a request timeout that does not fit would make every run read nothing at all.
 */
function checkRequestsFit(config: MonitorConfig, functionTimeout: Duration): void {
  const window = readingWindowMs(functionTimeout.toMilliseconds());
  config.registries.forEach((registry, index) => {
    if (registry.requestTimeoutMs + START_MARGIN_MS >= window) {
      throw new ConfigError(
        `registries[${index}].requestTimeoutMs`,
        `${registry.requestTimeoutMs} ms does not fit a run: with a ${functionTimeout.toHumanString()} function timeout, requests may start ` +
          `during the first ${Math.max(0, Math.floor(window))} ms, and each needs its timeout + ${START_MARGIN_MS} ms; lower it or raise functionTimeout (functionTimeoutSeconds in cdk.json)`,
      );
    }
  });
}

/** Validates every prop (throwing a {@link ConfigError} that names the field) and applies the defaults. */
export function resolveMonitorProps(props: ExporterMonitorProps): ResolvedMonitorProps {
  const document = {
    registries: props.registries,
    historyRetentionDays: resolveHistoryRetentionDays(props.historyRetention ?? Duration.days(REGISTRY_DEFAULTS.historyRetentionDays)),
  };
  // The function parses MONITOR_CONFIG with the same parser, so it sees exactly what was validated here.
  const config = parseMonitorConfig(document);
  const configJson = JSON.stringify(document);
  const configEnv = encodeConfigEnv(configJson);
  if (Buffer.byteLength(configEnv) > MAX_CONFIG_ENV_BYTES) {
    throw new ConfigError(
      'registries',
      `take ${Buffer.byteLength(configJson)} bytes as JSON, ${Buffer.byteLength(configEnv)} compressed, more than the ${MAX_CONFIG_ENV_BYTES} that fit in the function's environment; ` +
        'watch "all" exporters with include patterns instead of long name lists, or split the registries over two monitors',
    );
  }
  const schedule = resolveSchedule(props.schedule ?? Duration.minutes(1));
  const functionTimeout = resolveTimeout(props.functionTimeout, schedule);
  checkRequestsFit(config, functionTimeout);
  return {
    configEnv,
    historyRetentionDays: config.historyRetentionDays,
    schedule,
    functionTimeout,
    memorySize: resolveInteger(props.memorySize ?? 256, 'memorySize', 128, 10_240),
    tableRemovalPolicy: props.tableRemovalPolicy ?? RemovalPolicy.RETAIN,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    notificationEmails: resolveEmails(props.notificationEmails ?? []),
    slack: resolveSlack(props.slack),
    teams: resolveTeams(props.teams),
    dashboard: props.dashboard ?? true,
    watchedRegistryIds: config.registries.filter((registry) => registry.exporters !== 'none').map((registry) => registry.id),
    secrets: resolveSecrets(config),
  };
}
