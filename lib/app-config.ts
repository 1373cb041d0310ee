/**
 * The configuration `bin/app.ts` reads from the `monitor` context value (cdk.json, or `-c monitor='{...}'`)
 * or from the JSON file the `configFile` context value names: the registries (the function's own
 * document, config-schema.ts) and the deployment's settings, one zod schema for both, so every
 * problem of either is reported at once, and `docs/config.schema.json` describes all of it.
 */
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod/mini';
import { described, monitorDocumentSchema } from '../lambda/config-schema.js';
import { ConfigError, configDocument, configProblems } from '../lambda/config.js';
import type { RegistryConfigInput } from './exporter-monitor-props.js';
import type { ExporterMonitorSettings } from './exporter-monitor-stack.js';

const ARN = (service: string) => {
  const problem = `must be an ${service.toUpperCase()} ARN (arn:aws:${service}:...)`;
  return z.string({ error: problem }).check(z.regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), { error: problem }));
};
/** The retention periods CloudWatch Logs offers, in days. */
const RETENTION_DAYS = Object.values(RetentionDays).filter((days): days is number => typeof days === 'number' && days > 0);

const whole = (min: number, max: number, unit: string) => {
  const range = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.number({ error: range }).check(z.int({ error: range }), z.minimum(min, { error: range }), z.maximum(max, { error: range }));
};

/** A required text field of a setting. */
const text = () => z.string({ error: 'must be a string' }).check(z.minLength(1));

/** An optional setting with its description. */
const setting = <T extends z.ZodMiniType>(schema: T, description: string) => described(z.optional(schema), description);

/** The `monitor` document of cdk.json (or of a configFile). */
export const appDocumentSchema = z.extend(monitorDocumentSchema, {
  scheduleMinutes: setting(whole(1, 60, 'minutes'), 'How often the monitor runs. Default 1.'),
  functionTimeoutSeconds: setting(whole(10, 900, 'seconds'), 'The function timeout. Default: the shorter of the schedule interval minus 10 s and 55 s.'),
  memorySize: setting(whole(128, 10_240, 'MB'), 'The function memory. Default 256.'),
  logRetentionDays: setting(
    z.number().check(z.refine((days) => RETENTION_DAYS.includes(days), { error: `must be one of CloudWatch's retention periods in days: ${RETENTION_DAYS.join(', ')}` })),
    'How long the function logs are kept. Default 30.',
  ),
  notificationEmails: setting(z.array(z.email({ error: 'must be an email address' }), { error: 'must be a list of email addresses' }), 'Addresses subscribed to the alert topic.'),
  slack: setting(
    z.strictObject(
      { workspaceId: text(), channelId: text() },
      { error: 'must be an object with workspaceId and channelId' },
    ),
    'A Slack channel through AWS Chatbot.',
  ),
  teams: setting(
    z.strictObject(
      { teamId: text(), channelId: text(), tenantId: text() },
      { error: 'must be an object with teamId, channelId and tenantId' },
    ),
    'A Microsoft Teams channel through AWS Chatbot.',
  ),
  dashboard: setting(z.boolean({ error: 'must be true or false' }), 'Create the CloudWatch dashboard. Default true.'),
  existingTopicArn: setting(ARN('sns'), 'Publish alerts to a topic you already have.'),
  operationsTopicArn: setting(ARN('sns'), "Send the monitor's own alarms to this topic."),
  topicEncryptionKeyArn: setting(ARN('kms'), 'The customer-managed KMS key of the alert topic.'),
});

/** The JSON document, for example `{"registries": [{"id": "prod", "baseUrl": "https://...", "auth": {...}}]}`. */
export type MonitorAppConfig = z.input<typeof appDocumentSchema>;

/** JSON Schema of the document, for editors (`docs/config.schema.json`, kept current by a test). */
export function appConfigJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Schema exporter monitor configuration (the "monitor" context of cdk.json, or a configFile)',
    ...z.toJSONSchema(appDocumentSchema, { io: 'input' }),
  };
}

/** Turns the configuration document (an object or its JSON text) into the stack's settings, with every problem at once. */
export function settingsFromAppConfig(source: unknown): ExporterMonitorSettings {
  const document = configDocument(source, Object.keys(appDocumentSchema.shape));
  const parsed = appDocumentSchema.safeParse(document);
  if (!parsed.success) throw ConfigError.of(configProblems(parsed.error));
  const config = parsed.data;
  const settings = {
    // The construct parses these again with parseMonitorConfig (URLs, duplicate ids, destinations).
    registries: document.registries as RegistryConfigInput[],
    schedule: config.scheduleMinutes === undefined ? undefined : Duration.minutes(config.scheduleMinutes),
    functionTimeout: config.functionTimeoutSeconds === undefined ? undefined : Duration.seconds(config.functionTimeoutSeconds),
    memorySize: config.memorySize,
    logRetention: config.logRetentionDays as RetentionDays | undefined,
    historyRetention: config.historyRetentionDays === undefined ? undefined : Duration.days(config.historyRetentionDays),
    notificationEmails: config.notificationEmails,
    slack: config.slack,
    teams: config.teams,
    dashboard: config.dashboard,
    existingTopicArn: config.existingTopicArn,
    operationsTopicArn: config.operationsTopicArn,
    topicEncryptionKeyArn: config.topicEncryptionKeyArn,
  };
  // Unset settings are left out, so the construct's defaults apply.
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as unknown as ExporterMonitorSettings;
}
