/**
 * The chat channels AWS Chatbot (Amazon Q Developer in chat applications) posts the alert topic to: Slack and
 * Microsoft Teams. Both receive the same custom-notification JSON from the topic, and both are held to the same
 * read-only guardrail: their role has no permissions, and the guardrail caps what anyone in the channel could be
 * given at reading the monitor's alarms, so nobody can run AWS commands from the channel.
 */
import { Names } from 'aws-cdk-lib';
import { CfnMicrosoftTeamsChannelConfiguration, LoggingLevel, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { SlackChannelProps, TeamsChannelProps } from './exporter-monitor-props.js';

/** What a channel posts and is capped at. */
export interface ChatChannelTarget {
  /** The topic whose messages the channel posts. */
  readonly topic: ITopic;
  /** The alarms the channel may read, and nothing else. */
  readonly alarms: readonly IAlarm[];
}

/** Delivery errors only; Chatbot writes them to a log group in us-east-1. */
const LOGGING_LEVEL = LoggingLevel.ERROR;

/** The most a channel may do: read the monitor's alarms. */
function readOnlyGuardrail(scope: Construct, id: string, channel: string, alarms: readonly IAlarm[]): ManagedPolicy {
  return new ManagedPolicy(scope, id, {
    description: `Most that the schema exporter monitor ${channel} channel may do: read the monitor alarms`,
    statements: [new PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: alarms.map((alarm) => alarm.alarmArn) })],
  });
}

/**
 * A configuration name unique to this construct and channel (CloudFormation requires one; 128 characters at
 * most). The Slack channel's has no suffix: it was named before Teams existed, and a new name would replace it.
 */
function configurationName(scope: Construct, suffix = ''): string {
  return Names.uniqueResourceName(scope, { maxLength: 128 - suffix.length }) + suffix;
}

/** Posts the topic to a Slack channel (its role, without permissions, is created by the L2). */
export function connectSlack(scope: Construct, slack: SlackChannelProps, target: ChatChannelTarget): SlackChannelConfiguration {
  return new SlackChannelConfiguration(scope, 'SlackChannel', {
    slackChannelConfigurationName: configurationName(scope),
    slackWorkspaceId: slack.workspaceId,
    slackChannelId: slack.channelId,
    notificationTopics: [target.topic],
    guardrailPolicies: [readOnlyGuardrail(scope, 'SlackGuardrail', 'Slack', target.alarms)],
    loggingLevel: LOGGING_LEVEL,
  });
}

/** Posts the topic to a Microsoft Teams channel. aws-cdk-lib has no L2 for it, so the role is made here, as the Slack L2 makes it. */
export function connectTeams(scope: Construct, teams: TeamsChannelProps, target: ChatChannelTarget): CfnMicrosoftTeamsChannelConfiguration {
  const role = new Role(scope, 'TeamsChannelRole', {
    assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
    description: 'Schema exporter monitor Microsoft Teams channel: no permissions, notifications only',
  });
  return new CfnMicrosoftTeamsChannelConfiguration(scope, 'TeamsChannel', {
    configurationName: configurationName(scope, '-teams'),
    teamId: teams.teamId,
    teamsChannelId: teams.channelId,
    teamsTenantId: teams.tenantId,
    iamRoleArn: role.roleArn,
    snsTopicArns: [target.topic.topicArn],
    guardrailPolicies: [readOnlyGuardrail(scope, 'TeamsGuardrail', 'Microsoft Teams', target.alarms).managedPolicyArn],
    loggingLevel: LOGGING_LEVEL,
  });
}
