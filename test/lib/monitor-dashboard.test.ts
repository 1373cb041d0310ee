/** The monitor's dashboard (lib/monitor-dashboard.ts) as the construct deploys it: its widgets and the metrics they read. */
import type { Template } from 'aws-cdk-lib/assertions';
import { BASIC_REGISTRY, OAUTH_REGISTRY, logicalId, monitorStack } from './fixtures.js';

interface Widget {
  readonly type: 'text' | 'metric' | 'alarm';
  readonly width: number;
  readonly properties: { title?: string; metrics?: unknown[][]; alarms?: string[]; annotations?: { horizontal?: { value: number; label: string }[] } };
}

/** The dashboard's widgets, with each CloudFormation reference written as REF(logical id) or ARN(logical id). */
function widgetsOf(template: Template): Widget[] {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const parts: unknown[] = dashboards[0]!.Properties.DashboardBody['Fn::Join'][1];
  const body = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const reference = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      if (reference.Ref) return `REF(${reference.Ref})`;
      if (reference['Fn::GetAtt']) return `${reference['Fn::GetAtt'][1].toUpperCase()}(${reference['Fn::GetAtt'][0]})`;
      return `TOKEN(${JSON.stringify(part).replaceAll('"', "'")})`;
    })
    .join('');
  return JSON.parse(body).widgets;
}

/** `[namespace, name, dimension, value, ...]` of each metric of a graph, without its rendering options or expressions. */
const lines = (widget: Widget) => widget.properties.metrics!.map((line) => line.filter((part) => typeof part === 'string')).filter((line) => line.length > 0);
/** The math expressions a graph draws. */
const expressions = (widget: Widget) =>
  widget.properties.metrics!.flatMap((line) => line.flatMap((part) => (typeof part === 'object' && part !== null && 'expression' in part ? [(part as { expression: string }).expression] : [])));
const byTitle = (widgets: Widget[], title: RegExp) => {
  const found = widgets.filter((widget) => title.test(widget.properties.title ?? ''));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('the dashboard', () => {
  const { monitor, template } = monitorStack({
    registries: [BASIC_REGISTRY, OAUTH_REGISTRY, { id: 'target', baseUrl: 'https://psrc-22222.eu-west-1.aws.confluent.cloud', exporters: 'none' }],
  });
  const widgets = widgetsOf(template);
  const service = ['service', monitor.serviceName];

  test('is there by default, rows of whole width: a heading, six health graphs, three per-registry graphs, the alarms', () => {
    expect(monitor.dashboard).toBeDefined();
    expect(widgets.map((widget) => widget.type)).toEqual(['text', ...Array(9).fill('metric'), 'alarm']);
    expect(widgets.reduce((sum, widget) => sum + widget.width, 0)).toBe(5 * 24);
  });

  test("shows the monitor's health: heartbeat, skipped exporters, delivery failures, both dead-letter queues", () => {
    // The heartbeat the alarm watches: invocations that did not fail, from the free AWS/Lambda metrics.
    const fn = ['FunctionName', `REF(${logicalId(monitor.function)})`];
    expect(lines(byTitle(widgets, /^Completed runs/))).toEqual([['AWS/Lambda', 'Invocations', ...fn], ['AWS/Lambda', 'Errors', ...fn]]);
    expect(expressions(byTitle(widgets, /^Completed runs/))).toEqual(['invocations - FILL(errors, 0)']);
    // Counts the function publishes only when not zero, drawn as zero in between.
    expect(lines(byTitle(widgets, /^Exporters skipped/))).toEqual([['SchemaExporterMonitor', 'ExportersSkipped', ...service]]);
    expect(expressions(byTitle(widgets, /^Exporters skipped/))).toEqual(['FILL(skipped, 0)']);
    expect(lines(byTitle(widgets, /^Alert delivery failures/))).toEqual([
      ['SchemaExporterMonitor', 'DeliveryFailures', ...service],
      ['AWS/SNS', 'NumberOfNotificationsFailed', 'TopicName', `TOPICNAME(${logicalId(monitor.topic)})`],
    ]);
    expect(expressions(byTitle(widgets, /^Alert delivery failures/))).toEqual(['FILL(publish, 0)']);
    expect(lines(byTitle(widgets, /^Dead-letter queue depths/))).toEqual([
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', `QUEUENAME(${logicalId(monitor.invocationFailureQueue)})`],
      ['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', `QUEUENAME(${logicalId(monitor.scheduleDeadLetterQueue)})`],
    ]);
  });

  test('draws the run duration against the timeout and the duration alarm threshold', () => {
    const duration = byTitle(widgets, /^Run duration/);
    expect(lines(duration)).toEqual([['AWS/Lambda', 'Duration', 'FunctionName', `REF(${logicalId(monitor.function)})`]]);
    expect(duration.properties.metrics![0]).toContainEqual(expect.objectContaining({ stat: 'p99' }));
    // the default timeout is 50 s; the alarm fires at 80% of it
    expect(duration.properties.annotations!.horizontal).toEqual([
      expect.objectContaining({ value: 50_000, label: 'timeout' }),
      expect.objectContaining({ value: 40_000, label: 'alarm' }),
    ]);
  });

  test('has a line per watched registry for failed reads and for each condition, from the registry dimension the function publishes', () => {
    const perRegistry = (metricName: string) => [
      ['SchemaExporterMonitor', metricName, 'registry', 'prod', ...service],
      ['SchemaExporterMonitor', metricName, 'registry', 'dr', ...service],
    ];
    // `target` is only read as a destination: it has no exporters of its own
    expect(lines(byTitle(widgets, /^Failed registry reads/))).toEqual(perRegistry('MonitorFailures'));
    expect(lines(byTitle(widgets, /^Unhealthy exporters/))).toEqual(perRegistry('UnhealthyExporters'));
    expect(lines(byTitle(widgets, /^Stalled exporters/))).toEqual(perRegistry('StalledExporters'));
    expect(lines(byTitle(widgets, /^Drifted exporters/))).toEqual(perRegistry('DriftedExporters'));
    expect(expressions(byTitle(widgets, /^Unhealthy exporters/))).toEqual(['FILL(registry0, 0)', 'FILL(registry1, 0)']);
    // a count of exporters is a level, not a sum over the period
    const unhealthy = byTitle(widgets, /^Unhealthy exporters/).properties.metrics!.find((line) => line.includes('UnhealthyExporters'))!;
    expect(unhealthy).toContainEqual(expect.objectContaining({ stat: 'Maximum' }));
  });

  test('shows the state of every alarm on the monitor', () => {
    const alarms = widgets.find((widget) => widget.type === 'alarm')!;
    expect(alarms.properties.alarms!.sort()).toEqual(monitor.alarms.map((alarm) => `ARN(${logicalId(alarm)})`).sort());
  });
});

test('dashboard: false leaves it out', () => {
  const { monitor, template } = monitorStack({ dashboard: false });
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  expect(monitor.dashboard).toBeUndefined();
});
