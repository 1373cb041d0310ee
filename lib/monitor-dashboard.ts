/**
 * The monitor's CloudWatch dashboard: is the monitor itself healthy, how many exporters are in trouble in each
 * registry, and the state of every alarm. It reads the very metrics the alarms watch (MonitorMetricFactory).
 */
import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Color,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type Metric,
  type IWidget,
  MathExpression,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { DURATION_ALARM_SHARE } from './monitor-alarms.js';
import type { ExporterCondition, MonitorMetricFactory } from './monitor-metrics.js';

export interface MonitorDashboardProps {
  readonly metrics: MonitorMetricFactory;
  /** The registries whose exporters are watched (one line each). */
  readonly registryIds: readonly string[];
  readonly alarms: readonly IAlarm[];
  /** How often the monitor runs: the graphs' period follows from it, as the alarms' does. */
  readonly schedule: Duration;
  /** Timeout of one run: drawn on the run duration graph, with the duration alarm's threshold. */
  readonly functionTimeout: Duration;
}

/** A CloudWatch dashboard row is 24 units wide. */
const ROW_WIDTH = 24;
const GRAPH_HEIGHT = 6;

const CONDITIONS: readonly [ExporterCondition, string][] = [
  ['unhealthy', 'Unhealthy exporters (PAUSED, MISSING, ...)'],
  ['stalled', 'Stalled exporters (RUNNING, offset not moving)'],
  ['drifted', 'Drifted exporters (destination missing schemas)'],
];

/** Graphs of `count` across a row. */
function graphs(count: number, make: (width: number, index: number) => IWidget): IWidget[] {
  return Array.from({ length: count }, (_, index) => make(ROW_WIDTH / count, index));
}

function graph(title: string, width: number, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}): GraphWidget {
  return new GraphWidget({ title, width, height: GRAPH_HEIGHT, left, leftYAxis: { min: 0 }, ...extra });
}

/**
 * The function publishes its counts only when they are not zero (lambda/telemetry.ts): drawn as zero in between.
 * `key` names the metric inside its graph, unique there.
 */
function zeroWhenAbsent(metric: Metric, label: string, key: string): IMetric {
  return new MathExpression({ expression: `FILL(${key}, 0)`, usingMetrics: { [key]: metric }, label, period: metric.period });
}

export function createMonitorDashboard(scope: Construct, props: MonitorDashboardProps): Dashboard {
  const { metrics } = props;
  // the alarms' period, so a point on a graph is what an alarm evaluated
  const period = Duration.minutes(Math.max(props.schedule.toMinutes(), 5));
  const perRegistry = (metric: (registryId: string) => Metric) => props.registryIds.map((registryId, index) => zeroWhenAbsent(metric(registryId), registryId, `registry${index}`));
  const timeoutMs = props.functionTimeout.toMilliseconds();

  const health: ((width: number) => IWidget)[] = [
    (width) => graph('Completed runs (the heartbeat)', width, [metrics.completedRuns(period)]),
    (width) => graph('Failed registry reads, per registry', width, perRegistry((id) => metrics.registryFailures(id, period))),
    (width) =>
      graph('Run duration (p99) against the timeout', width, [metrics.functionDurationP99(period).with({ label: 'p99 ms' })], {
        leftAnnotations: [
          { value: timeoutMs, label: 'timeout', color: Color.RED },
          { value: timeoutMs * DURATION_ALARM_SHARE, label: 'alarm', color: Color.ORANGE },
        ],
        leftYAxis: { min: 0, max: timeoutMs },
      }),
    (width) => graph('Exporters skipped (no time left in the run)', width, [zeroWhenAbsent(metrics.exportersSkipped(period), 'skipped', 'skipped')]),
    (width) =>
      graph('Alert delivery failures', width, [
        zeroWhenAbsent(metrics.deliveryFailures(period), 'function -> SNS', 'publish'),
        metrics.notificationFailures(period).with({ label: 'SNS -> subscribers' }),
      ]),
    (width) =>
      graph('Dead-letter queue depths', width, [
        metrics.invocationFailures(period).with({ label: 'invocation failures' }),
        metrics.scheduleDeadLetters(period).with({ label: 'schedule dead letters' }),
      ]),
  ];

  const dashboard = new Dashboard(scope, 'Dashboard', { defaultInterval: Duration.days(1) });
  dashboard.addWidgets(
    new TextWidget({
      markdown: '## Schema exporter monitor\nIs the monitor itself healthy, how many exporters are in trouble per registry, and every alarm.',
      width: ROW_WIDTH,
      height: 2,
    }),
  );
  dashboard.addWidgets(...graphs(3, (width, index) => health[index]!(width)));
  dashboard.addWidgets(...graphs(3, (width, index) => health[index + 3]!(width)));
  dashboard.addWidgets(
    ...graphs(CONDITIONS.length, (width, index) => {
      const [condition, title] = CONDITIONS[index]!;
      return graph(title, width, perRegistry((id) => metrics.exportersIn(condition, id, period)));
    }),
  );
  dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms on the monitor', alarms: [...props.alarms], width: ROW_WIDTH, height: 4 }));
  return dashboard;
}
