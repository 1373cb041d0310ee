import type { Duration } from 'aws-cdk-lib';
import { type IMetric, MathExpression, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ExporterConditions } from '../lambda/core/exporter-conditions.js';
import { METRIC_NAMES, METRICS_NAMESPACE, REGISTRY_DIMENSION } from '../lambda/telemetry.js';

/** Conditions the function counts exporters in, per registry. */
export type ExporterCondition = keyof ExporterConditions;

const CONDITION_METRICS: Record<ExporterCondition, string> = {
  unhealthy: METRIC_NAMES.unhealthyExporters,
  stalled: METRIC_NAMES.stalledExporters,
  drifted: METRIC_NAMES.driftedExporters,
};

/** What the metrics of one monitor are about. */
export interface MonitorMetricFactoryProps {
  /**
   * The `service` dimension the function publishes its own metrics under (its POWERTOOLS_SERVICE_NAME),
   * unique to one monitor.
   */
  readonly serviceName: string;
  /** The function that checks the registries. */
  readonly function: IFunction;
  /** The on-failure destination of asynchronous invocations. */
  readonly invocationFailureQueue: IQueue;
  /** The dead-letter queue of the schedule. */
  readonly scheduleDeadLetterQueue: IQueue;
  /** The topic alerts are published to. */
  readonly topic: ITopic;
}

/**
 * The metrics that tell whether the monitor itself works: the function's own (lambda/handler.ts publishes
 * them) and those AWS keeps of its function, queues and topic. Apart from the alarms on them, so that
 * anything else that watches the monitor (a dashboard) reads the very same metrics. Each takes the period
 * to aggregate over, which is the watcher's choice.
 */
export class MonitorMetricFactory {
  constructor(private readonly props: MonitorMetricFactoryProps) {}

  /** Runs that failed: an unhandled error or a timeout. */
  functionErrors(period: Duration): Metric {
    return this.props.function.metricErrors({ period, statistic: Stats.SUM });
  }

  /** Runs Lambda refused to start: the previous run was still going, or the account is out of concurrency. */
  functionThrottles(period: Duration): Metric {
    return this.props.function.metricThrottles({ period, statistic: Stats.SUM });
  }

  /** How long the slowest runs take (p99). */
  functionDurationP99(period: Duration): Metric {
    return this.props.function.metricDuration({ period, statistic: Stats.p(99) });
  }

  /** Runs that failed asynchronously and wait in the invocation failure queue. */
  invocationFailures(period: Duration): Metric {
    return this.props.invocationFailureQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM });
  }

  /** Runs EventBridge Scheduler could not hand to Lambda, waiting in its dead-letter queue. */
  scheduleDeadLetters(period: Duration): Metric {
    return this.props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM });
  }

  /** Registries the runs could not check. */
  monitorFailures(period: Duration): Metric {
    return this.functionMetric(METRIC_NAMES.monitorFailures, period);
  }

  /** Exporters the runs had no time to read. */
  exportersSkipped(period: Duration): Metric {
    return this.functionMetric(METRIC_NAMES.exportersSkipped, period);
  }

  /**
   * Runs that completed: the heartbeat. Invocations that did not end in an error, from the function's own
   * AWS/Lambda metrics (free, unlike a custom metric): no invocation at all leaves the expression without data,
   * which the heartbeat alarm treats as breaching.
   */
  completedRuns(period: Duration): IMetric {
    return new MathExpression({
      expression: 'invocations - FILL(errors, 0)',
      usingMetrics: {
        invocations: this.props.function.metricInvocations({ period, statistic: Stats.SUM }),
        errors: this.functionErrors(period),
      },
      label: 'completed runs',
      period,
    });
  }

  /** Alerts the function could not publish to SNS. */
  deliveryFailures(period: Duration): Metric {
    return this.functionMetric(METRIC_NAMES.deliveryFailures, period);
  }

  /** Alerts SNS could not deliver to a subscriber (email or Slack). */
  notificationFailures(period: Duration): Metric {
    return this.props.topic.metricNumberOfNotificationsFailed({ period, statistic: Stats.SUM });
  }

  /** Reads of one registry that failed (or the registry could not be read at all). */
  registryFailures(registryId: string, period: Duration): Metric {
    return this.functionMetric(METRIC_NAMES.monitorFailures, period, registryId);
  }

  /** How many of one registry's exporters are in `condition` (the most any run in `period` counted). */
  exportersIn(condition: ExporterCondition, registryId: string, period: Duration): Metric {
    return this.functionMetric(CONDITION_METRICS[condition], period, registryId).with({ statistic: Stats.MAXIMUM });
  }

  /**
   * A count the function publishes itself, summed over `period`; of one registry when `registryId` is given.
   * Published only when not zero (lambda/telemetry.ts): no data means none.
   */
  private functionMetric(metricName: string, period: Duration, registryId?: string): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: this.props.serviceName, ...(registryId !== undefined && { [REGISTRY_DIMENSION]: registryId }) },
      statistic: Stats.SUM,
      period,
    });
  }
}
