/**
 * The configuration `bin/app.ts` reads from the `monitor` context value (cdk.json, or `-c monitor='{...}'`)
 * or from the JSON file the `configFile` context value names. Only the JSON types are checked here;
 * the construct validates the values, with the registries going through the function's own parser.
 */
import { Duration } from 'aws-cdk-lib';
import { ConfigError, configDocument, isObject, type Json } from '../lambda/config.js';
import type { RegistryConfigInput } from './exporter-monitor-props.js';
import type { ExporterMonitorSettings } from './exporter-monitor-stack.js';

/** The JSON document, for example `{"registries": [{"id": "prod", "baseUrl": "https://...", "auth": {...}}]}`. */
export interface MonitorAppConfig {
  readonly registries: readonly RegistryConfigInput[];
  readonly scheduleMinutes?: number;
  readonly historyRetentionDays?: number;
  readonly notificationEmails?: readonly string[];
  readonly slack?: { readonly workspaceId: string; readonly channelId: string };
  readonly existingTopicArn?: string;
  readonly operationsTopicArn?: string;
  readonly topicEncryptionKeyArn?: string;
}

const SETTINGS: readonly (keyof MonitorAppConfig)[] = [
  'registries',
  'scheduleMinutes',
  'historyRetentionDays',
  'notificationEmails',
  'slack',
  'existingTopicArn',
  'operationsTopicArn',
  'topicEncryptionKeyArn',
];


/** Reads `source[key]` if present, checking its JSON type. */
function optional<T>(source: Json, key: string, field: string, expected: string, is: (value: unknown) => value is T): T | undefined {
  const value = source[key];
  if (value === undefined || is(value)) return value;
  throw new ConfigError(field, `must be ${expected}, got ${JSON.stringify(value)}`);
}

const isNumber = (value: unknown): value is number => typeof value === 'number';
const isString = (value: unknown): value is string => typeof value === 'string';
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/** Turns the configuration document (an object or its JSON text) into the stack's settings. */
export function settingsFromAppConfig(source: unknown): ExporterMonitorSettings {
  const document = configDocument(source, SETTINGS);

  const minutes = optional(document, 'scheduleMinutes', 'scheduleMinutes', 'a number', isNumber);
  const days = optional(document, 'historyRetentionDays', 'historyRetentionDays', 'a number', isNumber);
  const slack = optional(document, 'slack', 'slack', 'an object', isObject);
  const arn = (key: string) => optional(document, key, key, 'an ARN', isString);
  return {
    // the construct parses these with parseMonitorConfig, which reports each field
    registries: document.registries as RegistryConfigInput[],
    schedule: minutes === undefined ? undefined : Duration.minutes(minutes),
    historyRetention: days === undefined ? undefined : Duration.days(days),
    notificationEmails: optional(document, 'notificationEmails', 'notificationEmails', 'a list of strings', isStringList),
    slack: slack && {
      workspaceId: optional(slack, 'workspaceId', 'slack.workspaceId', 'a string', isString) ?? '',
      channelId: optional(slack, 'channelId', 'slack.channelId', 'a string', isString) ?? '',
    },
    existingTopicArn: arn('existingTopicArn'),
    operationsTopicArn: arn('operationsTopicArn'),
    topicEncryptionKeyArn: arn('topicEncryptionKeyArn'),
  };
}
