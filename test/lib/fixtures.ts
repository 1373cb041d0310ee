/** What the CDK tests share: an app configured like `cdk synth`, sample registries, template scans. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, Stack, cx_api as cxapi } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ExporterMonitor } from '../../lib/exporter-monitor.js';
import type { ExporterMonitorProps, RegistryConfigInput } from '../../lib/exporter-monitor-props.js';

/** cdk.json's context: the feature flags `cdk synth` applies, and the example `monitor` configuration. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/**
 * An app with cdk.json's feature flags; its function's code is the bundle the package ships (dist/function),
 * referenced where it is rather than copied into every test's cloud assembly (1.5 MB each). The consumer test
 * (test/package) synthesizes with the copy, as `cdk synth` does.
 */
export function createApp(): App {
  return new App({ context: { ...cdkJsonContext, [cxapi.DISABLE_ASSET_STAGING_CONTEXT]: true } });
}

export const BASIC_REGISTRY: RegistryConfigInput = {
  id: 'prod',
  baseUrl: 'https://psrc-00000.eu-central-1.aws.confluent.cloud',
  auth: { kind: 'basic', secretId: 'schema-exporter-monitor/prod' },
  exporters: 'all',
  exclude: ['test-*'],
};

/** A Microsoft Teams channel as the AWS Chatbot console and the channel's link give it. */
export const TEAMS_CHANNEL = {
  teamId: '0a1b2c3d-1234-5678-9abc-0123456789ab',
  channelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
  tenantId: 'f0e1d2c3-b4a5-6789-0abc-def012345678',
};

export const OAUTH_REGISTRY: RegistryConfigInput = {
  id: 'dr',
  baseUrl: 'https://psrc-11111.eu-west-1.aws.confluent.cloud',
  auth: {
    kind: 'oauth',
    secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:schema-exporter-monitor/dr-AbC123',
    tokenUrl: 'https://idp.example.com/oauth2/token',
    logicalCluster: 'lsrc-11111',
  },
  exporters: ['to-dr'],
  policy: { unhealthyChecks: 3 },
};

/** A stack holding one ExporterMonitor; `props` may create what they refer to (topics, keys) in that stack. */
export function monitorStack(props: Partial<ExporterMonitorProps> | ((stack: Stack) => Partial<ExporterMonitorProps>) = {}) {
  const stack = new Stack(createApp(), 'Test');
  const monitor = new ExporterMonitor(stack, 'Monitor', {
    registries: [BASIC_REGISTRY],
    ...(typeof props === 'function' ? props(stack) : props),
  });
  return { stack, monitor, template: Template.fromStack(stack) };
}

/** The logical id of the CloudFormation resource behind an L2 construct. */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

/** Every policy statement anywhere in the template: identity, resource and trust policies alike. */
export function allStatements(template: Template): Statement[] {
  const found: Statement[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'Statement' && Array.isArray(child)) found.push(...(child as Statement[]));
        visit(child);
      }
    }
  };
  visit(template.toJSON().Resources);
  return found;
}

/** The statements of the IAM policies attached to the role `roleLogicalId`. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

export function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
