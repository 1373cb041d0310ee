/**
 * The configuration document as a zod schema: every setting once, with its bounds, in the units
 * people write (minutes, hours, milliseconds where the name says so). `config.ts` parses with it
 * and reports every problem at once; `docs/config.schema.json` is generated from it, so editors
 * complete and check `cdk.json` and config files against the same rules.
 *
 * Zod Mini rather than classic zod: the same validation, and the function's bundle takes only what
 * these schemas use (classic zod was 455 KB of a 1.2 MB bundle, and the cold start paid for it).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DEFAULT_AUTO_RESUME, DEFAULT_POLICY } from './core/policy.js';

// Zod Mini brings no messages of its own: English ones for what our schemas do not word themselves.
z.config(en());

/** A schema with its description, for docs/config.schema.json and editors. */
export const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));

export const REGISTRY_DEFAULTS = {
  requestsPerSecond: 20,
  concurrency: 4,
  requestTimeoutMs: 5_000,
  historyRetentionDays: 90,
  /** Resumes per second at most: Confluent Cloud allows 25 writes/s per cluster, shared with production. */
  writesPerSecond: 1,
} as const;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** A KMS key by ARN (an alias ARN cannot be granted kms:Decrypt); multi-Region keys have `mrk-` ids. */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:mrk-)?[0-9a-f-]{32,36}$/;
const WEEK_MINUTES = 7 * 24 * 60;

/** A non-empty string; a missing one is "required", not "must be". */
const text = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required and must be a non-empty string' : `must be ${what}`) })
    .check(z.trim(), z.minLength(1, { error: `must be ${what}` }));

/** A number of units from `min` to `max`, said in the unit its name has. */
function amount(min: number, max: number, description: string, whole = false) {
  const range = `must be a${whole ? ' whole' : ''} number from ${min} to ${max}`;
  const number = z.number({ error: range }).check(z.minimum(min, { error: range }), z.maximum(max, { error: range }));
  return described(z.optional(whole ? number.check(z.int({ error: range })) : number), description);
}

const minutesDefault = (ms: number) => ms / 60_000;

export const authSchema = z
  .strictObject({
    kind: z.enum(['none', 'basic', 'oauth'], { error: 'must be one of none, basic, oauth' }),
    secretId: described(z.optional(text('a non-empty string')), 'Secrets Manager secret name or ARN: {"apiKey","apiSecret"} (basic) or {"clientId","clientSecret"} (oauth).'),
    secretKmsKeyArn: described(
      z.optional(z.string().check(z.regex(KMS_KEY_ARN, { error: (issue) => `must be the ARN of a KMS key (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID), got ${JSON.stringify(issue.input)}` }))),
      'ARN of the customer-managed KMS key the secret is encrypted with; the default aws/secretsmanager key needs none.',
    ),
    tokenUrl: described(z.optional(text('an https URL')), 'OAuth: the token endpoint (https).'),
    logicalCluster: described(z.optional(text('a non-empty string')), 'OAuth: sent as target-sr-cluster (lsrc-...).'),
    identityPoolId: described(z.optional(text('a non-empty string')), 'OAuth: sent as Confluent-Identity-Pool-Id.'),
    scope: described(z.optional(text('a non-empty string')), 'OAuth: the scope to request.'),
  })
  .check(
    z.superRefine((auth, context) => {
      const required = auth.kind === 'oauth' ? (['secretId', 'tokenUrl', 'logicalCluster'] as const) : auth.kind === 'basic' ? (['secretId'] as const) : [];
      for (const key of required) {
        if (auth[key] === undefined) context.addIssue({ code: 'custom', path: [key], message: `is required for kind "${auth.kind}"`, input: auth });
      }
    }),
  );

export const policySchema = z.strictObject({
  unhealthyChecks: amount(1, 100, `Consecutive checks an unhealthy state must hold before it is announced. Default ${DEFAULT_POLICY.unhealthyChecks}.`, true),
  recoveryChecks: amount(1, 100, `Consecutive checks RUNNING must hold before a recovery is announced. Default ${DEFAULT_POLICY.recoveryChecks}.`, true),
  stuckAfterMinutes: amount(1, WEEK_MINUTES, `STARTING or UNASSIGNED without progress this long raises "stuck". Default ${minutesDefault(DEFAULT_POLICY.stuckAfterMs)}.`),
  startingCeilingHours: amount(1, 7 * 24, `STARTING or UNASSIGNED this long raises "stuck" even while its offset moves. Default ${DEFAULT_POLICY.startingCeilingMs / 3_600_000}.`),
  stallAfterMinutes: amount(1, WEEK_MINUTES, `RUNNING with an offset still this long after the source changed is STALLED. Default ${minutesDefault(DEFAULT_POLICY.stallAfterMs)}.`),
  sourceCheckMinutes: amount(1, WEEK_MINUTES, `How often the source subjects are listed for stall detection. Default ${minutesDefault(DEFAULT_POLICY.sourceCheckIntervalMs)}.`),
  definitionRefreshMinutes: amount(1, WEEK_MINUTES, `How often each exporter's definition is read again. Default ${minutesDefault(DEFAULT_POLICY.definitionRefreshMs)}.`),
  driftCheckMinutes: amount(1, WEEK_MINUTES, `How often destinations are compared with the source. Default ${minutesDefault(DEFAULT_POLICY.driftCheckIntervalMs)}.`),
  driftGraceMinutes: amount(0, WEEK_MINUTES, `How long a difference at the destination must last to be drift. Default ${minutesDefault(DEFAULT_POLICY.driftGraceMs)}.`),
  reminderIntervalMinutes: amount(0, WEEK_MINUTES, `While an incident is open, a reminder this often; 0 turns reminders off. Default ${minutesDefault(DEFAULT_POLICY.reminderIntervalMs)}.`),
});

export const autoResumeSchema = z.strictObject({
  enabled: described(z.boolean({ error: 'must be true or false' }), 'Resume PAUSED exporters whose cause is transient (destination unreachable, timeout, 5xx, rate limit). Off unless true.'),
  dryRun: described(z.optional(z.boolean({ error: 'must be true or false' })), 'Record and announce "would resume" without calling the registry. Default false.'),
  maxAttempts: amount(1, 20, `Attempts before giving up, until the counter resets. Default ${DEFAULT_AUTO_RESUME.maxAttempts}.`, true),
  backoffCapMinutes: amount(1, 24 * 60, `The longest wait between attempts (they wait n*n + n minutes after the n-th). Default ${minutesDefault(DEFAULT_AUTO_RESUME.backoffCapMs)}.`),
  resetAfterMinutes: amount(1, WEEK_MINUTES, `RUNNING this long resets the attempt counter. Default ${minutesDefault(DEFAULT_AUTO_RESUME.resetAfterMs)}.`),
  writesPerSecond: amount(0.1, 25, `Resume budget against this registry (Confluent Cloud allows 25 writes/s, shared). Default ${REGISTRY_DEFAULTS.writesPerSecond}.`),
  auth: described(z.optional(authSchema), 'Credentials allowed to resume exporters, when the read key may not. Default: the registry\'s auth.'),
});

const EXPORTERS_PROBLEM = 'must be "all", "none" or a non-empty list of exporter names';

export const registrySchema = z.strictObject({
  id: described(
    z.string({ error: 'is required: letters, digits, "-" or "_", at most 32' }).check(z.regex(ID_PATTERN, { error: 'must be 1 to 32 letters, digits, "-" or "_"' })),
    'Short name used in alerts, metrics and the table.',
  ),
  baseUrl: described(text('a URL'), 'The Schema Registry endpoint, for example https://psrc-00000.region.provider.confluent.cloud.'),
  auth: described(z.optional(authSchema), 'How the monitor authenticates. Default {"kind": "none"}.'),
  exporters: described(
    z.optional(
      z.union([z.literal('all'), z.literal('none'), z.array(text('a non-empty name')).check(z.minLength(1, { error: EXPORTERS_PROBLEM }))], { error: EXPORTERS_PROBLEM }),
    ),
    '"all" (default) discovers exporters on every run; "none" only reads this registry as a destination; or a list of names.',
  ),
  destinations: described(
    z.optional(
      z.record(z.string().check(z.minLength(1)), z.string().check(z.regex(ID_PATTERN)), { error: 'must map exporter names or globs to registry ids, like {"*": "dr-registry"}' }),
    ),
    'Exporter name or glob -> id of the configured registry it copies to, for drift verification.',
  ),
  include: described(z.optional(z.array(text('a non-empty glob'), { error: 'must be a list of non-empty strings' })), 'With "all": globs an exporter name must match.'),
  exclude: described(z.optional(z.array(text('a non-empty glob'), { error: 'must be a list of non-empty strings' })), 'With "all": globs that exclude an exporter.'),
  requestsPerSecond: amount(0.1, 75, `Request budget against this registry (Confluent Cloud allows 75/s, shared). Default ${REGISTRY_DEFAULTS.requestsPerSecond}.`),
  concurrency: amount(1, 64, `Requests in flight at once. Default ${REGISTRY_DEFAULTS.concurrency}.`, true),
  requestTimeoutMs: amount(100, 60_000, `Timeout of one request in milliseconds. Default ${REGISTRY_DEFAULTS.requestTimeoutMs}.`),
  allowInsecureHttp: described(z.optional(z.boolean({ error: 'must be true or false' })), 'Allow an http:// base URL (a lab registry). Default false.'),
  policy: described(z.optional(policySchema), 'When a change becomes an alert.'),
  autoResume: described(z.optional(autoResumeSchema), 'Guarded auto-resume of PAUSED exporters (off by default).'),
});

export const monitorDocumentSchema = z.strictObject({
  registries: z.array(registrySchema, { error: 'must list at least one registry' }).check(z.minLength(1, { error: 'must list at least one registry' })),
  historyRetentionDays: amount(1, 3650, `How long history items are kept. Default ${REGISTRY_DEFAULTS.historyRetentionDays}.`),
});

export type RegistryInput = z.infer<typeof registrySchema>;
export type PolicyInput = z.infer<typeof policySchema>;
export type AutoResumeInput = z.infer<typeof autoResumeSchema>;
