import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { configSchemaDocument } from '../../local/print-config-schema.js';
import { Template } from 'aws-cdk-lib/assertions';
import { settingsFromAppConfig } from '../../lib/app-config.js';
import { ExporterMonitorStack } from '../../lib/exporter-monitor-stack.js';
import { BASIC_REGISTRY, TEAMS_CHANNEL, cdkJsonContext, createApp } from './fixtures.js';

describe('settingsFromAppConfig', () => {
  test("cdk.json's example configuration synthesizes", () => {
    const stack = new ExporterMonitorStack(createApp(), 'Example', { monitor: settingsFromAppConfig(cdkJsonContext.monitor) });
    Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)' });
  });

  test('maps every setting to the stack settings', () => {
    const settings = settingsFromAppConfig({
      registries: [BASIC_REGISTRY],
      scheduleMinutes: 5,
      historyRetentionDays: 30,
      notificationEmails: ['oncall@example.com'],
      slack: { workspaceId: 'T012ABCDE', channelId: 'C012ABCDE' },
      teams: TEAMS_CHANNEL,
      existingTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      operationsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:on-call',
      topicEncryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(settings).toEqual({
      registries: [BASIC_REGISTRY],
      schedule: Duration.minutes(5),
      historyRetention: Duration.days(30),
      notificationEmails: ['oncall@example.com'],
      slack: { workspaceId: 'T012ABCDE', channelId: 'C012ABCDE' },
      teams: TEAMS_CHANNEL,
      existingTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      operationsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:on-call',
      topicEncryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  test('leaves what is not set to the construct defaults', () => {
    expect(settingsFromAppConfig({ registries: [BASIC_REGISTRY] })).toEqual({ registries: [BASIC_REGISTRY] });
  });

  test('accepts the JSON text that `-c monitor=...` passes', () => {
    expect(settingsFromAppConfig(JSON.stringify({ registries: [BASIC_REGISTRY], scheduleMinutes: 2 }))).toMatchObject({ schedule: Duration.minutes(2) });
  });

  test.each<[string, unknown, RegExp]>([
    ['no configuration', undefined, /^config: must be an object with "registries"/],
    ['text that is not JSON', '{registries:', /^config: is not valid JSON/],
    ['a misspelt setting', { registries: [BASIC_REGISTRY], notificationEmail: ['a@example.com'] }, /^notificationEmail: is not a setting \(known: registries, /],
    ['a schedule that is not a number', { registries: [BASIC_REGISTRY], scheduleMinutes: '5' }, /^scheduleMinutes: must be a whole number of minutes from 1 to 60$/],
    ['a retention that is not a number', { registries: [BASIC_REGISTRY], historyRetentionDays: '90d' }, /^historyRetentionDays: must be a number/],
    ['emails that are not a list', { registries: [BASIC_REGISTRY], notificationEmails: 'a@example.com' }, /^notificationEmails: must be a list of email addresses/],
    ['a Slack channel that is not an object', { registries: [BASIC_REGISTRY], slack: 'C012ABCDE' }, /^slack: must be an object/],
    ['a Slack channel id that is not a string', { registries: [BASIC_REGISTRY], slack: { workspaceId: 'T012ABCDE', channelId: 12 } }, /^slack\.channelId: must be a string/],
    ['a Teams channel without its tenant', { registries: [BASIC_REGISTRY], teams: { teamId: TEAMS_CHANNEL.teamId, channelId: TEAMS_CHANNEL.channelId } }, /^teams\.tenantId: must be a string/],
    ['a misspelt Teams setting', { registries: [BASIC_REGISTRY], teams: { ...TEAMS_CHANNEL, tenant: 'x' } }, /^teams\.tenant: is not a setting \(known: teamId, channelId, tenantId\)/],
    ['a topic ARN that is not a string', { registries: [BASIC_REGISTRY], existingTopicArn: 42 }, /^existingTopicArn: must be an SNS ARN/],
    ['a schedule of an hour and a half, said in minutes as written', { registries: [BASIC_REGISTRY], scheduleMinutes: 90 }, /^scheduleMinutes: must be a whole number of minutes from 1 to 60$/],
  ])('rejects %s, naming the field', (_, source, error) => {
    expect(() => settingsFromAppConfig(source)).toThrow(error);
  });

  test('reports every problem at once, at the path the user wrote, registries included', () => {
    const source = {
      registries: [{ ...BASIC_REGISTRY, baseUrl: 'http://sr.internal', requestPerSecond: 5, policy: { stallAfterMinutes: 0 } }, { baseUrl: 'https://b.example.com' }],
      scheduleMinutes: 90,
      notificationEmails: ['not-an-address'],
    };
    let error: unknown;
    try {
      settingsFromAppConfig(source);
    } catch (caught) {
      error = caught;
    }
    const fields = (error as { problems: { field: string }[] }).problems.map((problem) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining(['registries[0].requestPerSecond', 'registries[0].policy.stallAfterMinutes', 'registries[1].id', 'scheduleMinutes', 'notificationEmails[0]']),
    );
    expect((error as Error).message.split('; ')).toHaveLength(fields.length);
  });

  test('sets the function timeout, memory and log retention that the error messages mention', () => {
    expect(settingsFromAppConfig({ registries: [BASIC_REGISTRY], functionTimeoutSeconds: 50, memorySize: 512, logRetentionDays: 14 })).toEqual({
      registries: [BASIC_REGISTRY],
      functionTimeout: Duration.seconds(50),
      memorySize: 512,
      logRetention: 14,
    });
    expect(() => settingsFromAppConfig({ registries: [BASIC_REGISTRY], logRetentionDays: 10 })).toThrow(/^logRetentionDays: must be one of CloudWatch's retention periods in days: 1, 3, 5, 7, 14/);
  });
});

describe('docs/config.schema.json', () => {
  test('is generated from the schema the monitor validates with', () => {
    const committed = readFileSync(join(process.cwd(), 'docs', 'config.schema.json'), 'utf8');
    expect({ upToDate: committed === configSchemaDocument(), fix: 'npx tsx local/print-config-schema.ts > docs/config.schema.json' }).toEqual({
      upToDate: true,
      fix: 'npx tsx local/print-config-schema.ts > docs/config.schema.json',
    });
  });

  test('describes every setting, with the policy in the units people write', () => {
    const schema = JSON.parse(configSchemaDocument());
    const registry = schema.properties.registries.items;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['registries', 'scheduleMinutes', 'functionTimeoutSeconds', 'memorySize', 'logRetentionDays', 'slack']));
    expect(registry.required).toEqual(['id', 'baseUrl']);
    expect(registry.properties.policy.properties.stallAfterMinutes).toMatchObject({ type: 'number', minimum: 1 });
    expect(registry.additionalProperties).toBe(false);
  });
});
