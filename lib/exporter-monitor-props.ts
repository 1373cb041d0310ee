import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

/**
 * How the monitor authenticates to a registry: the JSON shape `parseRegistryConfig` (lambda/config.ts) accepts.
 * Credentials never appear here, only the Secrets Manager secret that holds them.
 */
export interface RegistryAuthInput {
  /** `none` for an open lab registry, `basic` for a Confluent Cloud API key, `oauth` for client credentials. */
  readonly kind: 'none' | 'basic' | 'oauth';
  /**
   * Name or complete ARN of the secret. `basic`: `{"apiKey": "...", "apiSecret": "..."}`;
   * `oauth`: `{"clientId": "...", "clientSecret": "..."}`. Required for `basic` and `oauth`.
   *
   * @default - none; only valid with kind `none`
   */
  readonly secretId?: string;
  /**
   * ARN of the customer-managed KMS key the secret is encrypted with. The function is granted
   * `kms:Decrypt` on it, only through Secrets Manager in the stack's region (`kms:ViaService`).
   * The key's policy must let the account's IAM policies grant it (the default key policy does).
   *
   * @default - the secret uses the AWS managed key `aws/secretsmanager`, which needs no grant
   */
  readonly secretKmsKeyArn?: string;
  /**
   * `oauth` only: the identity provider's token endpoint (https).
   *
   * @default - none; required for `oauth`
   */
  readonly tokenUrl?: string;
  /**
   * `oauth` only: the Schema Registry logical cluster id (`lsrc-...`).
   *
   * @default - none; required for `oauth`
   */
  readonly logicalCluster?: string;
  /**
   * `oauth` only: the Confluent identity pool (`pool-...`).
   *
   * @default - header not sent
   */
  readonly identityPoolId?: string;
  /**
   * `oauth` only: the scope requested with the token.
   *
   * @default - no scope
   */
  readonly scope?: string;
}

/** When a change becomes an alert, per registry. */
export interface RegistryPolicyInput {
  /**
   * Consecutive checks an unhealthy state must hold before it is announced.
   *
   * @default 2
   */
  readonly unhealthyChecks?: number;
  /**
   * Consecutive RUNNING checks before a recovery is announced.
   *
   * @default 1
   */
  readonly recoveryChecks?: number;
  /**
   * Minutes in STARTING or UNASSIGNED without the offset moving before the exporter counts as stuck.
   *
   * @default 30
   */
  readonly stuckAfterMinutes?: number;
  /**
   * Hours in STARTING or UNASSIGNED after which the exporter counts as stuck even while its offset moves.
   *
   * @default 12
   */
  readonly startingCeilingHours?: number;
  /**
   * Minutes a RUNNING exporter's offset may stand still after the source changed before it is STALLED.
   *
   * @default 15
   */
  readonly stallAfterMinutes?: number;
  /**
   * Minutes between listings of the source subjects for stall detection.
   *
   * @default 5
   */
  readonly sourceCheckMinutes?: number;
  /**
   * Minutes between reads of each exporter's definition after the first.
   *
   * @default 60
   */
  readonly definitionRefreshMinutes?: number;
  /**
   * Minutes between comparisons of the destination with the source (drift verification).
   *
   * @default 15
   */
  readonly driftCheckMinutes?: number;
  /**
   * Minutes a difference at the destination must last before it is drift.
   *
   * @default 15
   */
  readonly driftGraceMinutes?: number;
  /**
   * Minutes between reminders while an incident stays open; 0 disables reminders.
   *
   * @default 240
   */
  readonly reminderIntervalMinutes?: number;
}

/** One Schema Registry to watch: the JSON shape `parseRegistryConfig` (lambda/config.ts) accepts. */
export interface RegistryConfigInput {
  /** Short name used in alerts, metrics and the table: 1 to 32 letters, digits, `-` or `_`; unique. */
  readonly id: string;
  /** For example `https://psrc-00000.eu-central-1.aws.confluent.cloud`. */
  readonly baseUrl: string;
  /**
   * How to authenticate.
   *
   * @default - { kind: 'none' }
   */
  readonly auth?: RegistryAuthInput;
  /**
   * Exporter names to watch, `all` to discover them on every run, or `none` for a registry read only
   * as other exporters' destination.
   *
   * @default 'all'
   */
  readonly exporters?: 'all' | 'none' | readonly string[];
  /**
   * Exporter name or glob -> id of the configured registry it copies to, for drift verification.
   *
   * @default - paired by the destination URL in each exporter's definition
   */
  readonly destinations?: Readonly<Record<string, string>>;
  /**
   * With `all`: glob patterns an exporter name must match (any of them).
   *
   * @default - every exporter
   */
  readonly include?: readonly string[];
  /**
   * With `all`: glob patterns that exclude an exporter.
   *
   * @default - none excluded
   */
  readonly exclude?: readonly string[];
  /**
   * Request budget against this registry (Confluent Cloud allows 75 reads/s per cluster, shared with production).
   *
   * @default 20
   */
  readonly requestsPerSecond?: number;
  /**
   * Requests in flight at once.
   *
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Timeout of one HTTP request, in milliseconds.
   *
   * @default 5000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Allow an `http://` base URL, for a lab registry only: credentials would travel in clear text.
   *
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
  /**
   * Alerting thresholds for this registry.
   *
   * @default - the defaults of each field
   */
  readonly policy?: RegistryPolicyInput;
  /**
   * Guarded auto-resume of PAUSED exporters whose cause is transient (see the README).
   *
   * @default - off: every PAUSED exporter waits for a person
   */
  readonly autoResume?: AutoResumeInput;
}

/** Guarded auto-resume of one registry's exporters. */
export interface AutoResumeInput {
  /** Resume PAUSED exporters whose cause is transient (destination unreachable, timeout, 5xx, rate limit). */
  readonly enabled: boolean;
  /**
   * Record and announce "would resume" without calling the registry.
   *
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Attempts before giving up, until the counter resets.
   *
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * The longest wait between attempts, in minutes (the n-th attempt is followed by n*n + n minutes).
   *
   * @default 60
   */
  readonly backoffCapMinutes?: number;
  /**
   * Minutes RUNNING that reset the attempt counter.
   *
   * @default 60
   */
  readonly resetAfterMinutes?: number;
  /**
   * Resume requests per second at most (Confluent Cloud allows 25 writes/s per cluster, shared).
   *
   * @default 1
   */
  readonly writesPerSecond?: number;
  /**
   * Credentials allowed to resume exporters, when the read key may not; the function is granted this secret too.
   *
   * @default - the registry's `auth`
   */
  readonly auth?: RegistryAuthInput;
}

/** A Slack channel that AWS Chatbot posts the alerts to. */
export interface SlackChannelProps {
  /** The workspace id that the AWS Chatbot console shows once the workspace is authorized (for example `T012ABCDE`). */
  readonly workspaceId: string;
  /** The channel id (for example `C012ABCDE`); invite `@aws` to a private channel first. */
  readonly channelId: string;
}

/**
 * A Microsoft Teams channel that AWS Chatbot posts the alerts to. The team and tenant ids are shown in the
 * AWS Chatbot console once the team is authorized there.
 */
export interface TeamsChannelProps {
  /** The team id (a GUID, for example `0a1b2c3d-1234-5678-9abc-0123456789ab`). */
  readonly teamId: string;
  /**
   * The channel id as it appears, URL-encoded, in the channel's link (Teams: ... > Get link to channel),
   * for example `19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2`.
   */
  readonly channelId: string;
  /** The Microsoft Entra tenant id (a GUID). */
  readonly tenantId: string;
}

/** Properties of {@link ExporterMonitor}. */
export interface ExporterMonitorProps {
  /** The registries to watch; at least one. Validated with `parseMonitorConfig`, the parser the function uses. */
  readonly registries: readonly RegistryConfigInput[];
  /**
   * How often the monitor runs: whole minutes, from 1 minute to 1 hour.
   *
   * @default Duration.minutes(1)
   */
  readonly schedule?: Duration;
  /**
   * Timeout of one run; must be shorter than `schedule` so runs never overlap.
   *
   * @default - the shorter of `schedule` minus 10 seconds and 55 seconds
   */
  readonly functionTimeout?: Duration;
  /**
   * Memory of the function, in MiB.
   *
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * How long history items stay in the table (DynamoDB TTL); whole days.
   *
   * @default Duration.days(90)
   */
  readonly historyRetention?: Duration;
  /**
   * What happens to the table (exporter state and history) when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * Retention of the function's log group.
   *
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Email addresses subscribed to the alert topic; each must confirm the subscription.
   *
   * @default - no email subscriptions
   */
  readonly notificationEmails?: readonly string[];
  /**
   * Post alerts to a Slack channel through AWS Chatbot.
   *
   * @default - no Slack channel
   */
  readonly slack?: SlackChannelProps;
  /**
   * Post alerts to a Microsoft Teams channel through AWS Chatbot: the same messages and the same read-only
   * guardrail as the Slack channel.
   *
   * @default - no Microsoft Teams channel
   */
  readonly teams?: TeamsChannelProps;
  /**
   * Create a CloudWatch dashboard: the monitor's health, exporters by condition per registry, and the alarms.
   * It costs $3 a month beyond the account's three free dashboards; the per-registry metrics it graphs are
   * published either way (see the README's costs).
   *
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * Publish alerts to this topic instead of creating one. Its policy must allow CloudWatch alarms to publish
   * when it also receives the alarms (no `operationsTopic`).
   *
   * @default - a TLS-only topic is created
   */
  readonly existingTopic?: ITopic;
  /**
   * Customer-managed key of the alert topic. A created topic is encrypted with it; with `existingTopic`, pass the
   * key that topic uses. Either way the function may use it to publish.
   *
   * @default - the created topic is not encrypted with KMS
   */
  readonly topicEncryptionKey?: IKey;
  /**
   * Topic for the monitor's own alarms (errors, heartbeat, dead letters), for example the platform team's on-call.
   *
   * @default - the alert topic
   */
  readonly operationsTopic?: ITopic;
}
