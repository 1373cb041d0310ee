import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { settingsFromAppConfig } from '../../lib/app-config.js';
import { ExporterMonitorStack } from '../../lib/exporter-monitor-stack.js';
import { BASIC_REGISTRY, cdkJsonContext, createApp } from './fixtures.js';

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
    ['a schedule that is not a number', { registries: [BASIC_REGISTRY], scheduleMinutes: '5' }, /^scheduleMinutes: must be a number, got "5"/],
    ['a retention that is not a number', { registries: [BASIC_REGISTRY], historyRetentionDays: '90d' }, /^historyRetentionDays: must be a number/],
    ['emails that are not a list', { registries: [BASIC_REGISTRY], notificationEmails: 'a@example.com' }, /^notificationEmails: must be a list of strings/],
    ['a Slack channel that is not an object', { registries: [BASIC_REGISTRY], slack: 'C012ABCDE' }, /^slack: must be an object/],
    ['a Slack channel id that is not a string', { registries: [BASIC_REGISTRY], slack: { workspaceId: 'T012ABCDE', channelId: 12 } }, /^slack\.channelId: must be a string/],
    ['a topic ARN that is not a string', { registries: [BASIC_REGISTRY], existingTopicArn: 42 }, /^existingTopicArn: must be an ARN/],
  ])('rejects %s, naming the field', (_, source, error) => {
    expect(() => settingsFromAppConfig(source)).toThrow(error);
  });
});
