import { Duration } from 'aws-cdk-lib';
import { Alarm, type AlarmProps, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { MonitorMetricFactory } from './monitor-metrics.js';

/** What the alarms on one monitor watch, and whom they tell. */
export interface MonitorAlarmsProps {
  /** The metrics of the monitor the alarms watch. */
  readonly metrics: MonitorMetricFactory;
  /** Where each alarm notifies, on ALARM and on OK. */
  readonly actionTopic: ITopic;
  /** How often the monitor runs: the alarms' period (at least 5 minutes) and the heartbeat's window follow from it. */
  readonly schedule: Duration;
  /** Timeout of one run: the duration alarm fires well before runs reach it. */
  readonly functionTimeout: Duration;
}

/** The duration alarm fires when the slowest runs take this share of the function timeout. */
export const DURATION_ALARM_SHARE = 0.8;

interface AlarmDefinition extends Omit<AlarmProps, 'evaluationPeriods'> {
  readonly id: string;
  /** @default 1 */
  readonly evaluationPeriods?: number;
}

/**
 * Creates the alarms on the monitor itself, including a heartbeat that notices when it silently stops. They are
 * created in `scope`, the monitor construct, rather than in a construct of their own, so that their logical ids,
 * and with them the deployed alarms, stay what they were.
 */
export function createMonitorAlarms(scope: Construct, props: MonitorAlarmsProps): Alarm[] {
  const { metrics } = props;
  const minutes = props.schedule.toMinutes();
  // at least 5 minutes: shorter periods would announce every single slow or failed run, then its recovery
  const period = Duration.minutes(Math.max(minutes, 5));
  const more = ComparisonOperator.GREATER_THAN_THRESHOLD;
  const definitions: AlarmDefinition[] = [
    {
      id: 'FunctionErrorsAlarm',
      alarmDescription: 'A monitor run failed (an unhandled error or a timeout). See the function logs.',
      metric: metrics.functionErrors(period),
      comparisonOperator: more,
      threshold: 0,
    },
    {
      id: 'FunctionThrottlesAlarm',
      alarmDescription: 'A run was throttled: the previous run was still going, or the account is out of concurrency.',
      metric: metrics.functionThrottles(period),
      comparisonOperator: more,
      threshold: 0,
    },
    {
      id: 'FunctionDurationAlarm',
      alarmDescription: 'Runs take more than 80% of the function timeout: registries are slow, or there are too many exporters.',
      metric: metrics.functionDurationP99(period),
      comparisonOperator: more,
      threshold: props.functionTimeout.toMilliseconds() * DURATION_ALARM_SHARE,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    },
    {
      id: 'InvocationFailuresAlarm',
      alarmDescription: 'A run failed asynchronously and landed in the invocation failure queue.',
      metric: metrics.invocationFailures(period),
      comparisonOperator: more,
      threshold: 0,
    },
    {
      id: 'ScheduleDeadLettersAlarm',
      alarmDescription: 'EventBridge Scheduler could not invoke the function; the runs are in the schedule dead-letter queue.',
      metric: metrics.scheduleDeadLetters(period),
      comparisonOperator: more,
      threshold: 0,
    },
    {
      id: 'MonitorFailuresAlarm',
      alarmDescription: 'The monitor could not check a registry for 3 periods in a row (unreachable, credentials, rate limits).',
      metric: metrics.monitorFailures(period),
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
    {
      id: 'SkippedExportersAlarm',
      alarmDescription:
        'For 3 periods in a row, runs had no time to read every exporter (each is still read in turn, but less often): raise requestsPerSecond or the function timeout, or watch fewer exporters.',
      metric: metrics.exportersSkipped(period),
      comparisonOperator: more,
      threshold: 0,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
    {
      id: 'HeartbeatAlarm',
      alarmDescription: 'The monitor has not completed a run for 3 schedule intervals: it stopped, so nothing is being watched.',
      // 3 intervals tolerate one late or failed run; missing data is exactly the silence this alarm is for
      metric: metrics.completedRuns(Duration.minutes(Math.max(3 * minutes, 5))),
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      treatMissingData: TreatMissingData.BREACHING,
    },
    {
      id: 'DeliveryFailuresAlarm',
      alarmDescription: 'The function could not publish alerts to SNS (throttling, KMS, outage); they stay in the outbox and are retried every run.',
      metric: metrics.deliveryFailures(period),
      comparisonOperator: more,
      threshold: 0,
    },
    {
      id: 'NotificationFailuresAlarm',
      alarmDescription: 'SNS could not deliver alerts to a subscriber (email or Slack).',
      metric: metrics.notificationFailures(period),
      comparisonOperator: more,
      threshold: 0,
    },
  ];
  const action = new SnsAction(props.actionTopic);
  return definitions.map(({ id, ...definition }) => {
    const alarm = new Alarm(scope, id, { evaluationPeriods: 1, treatMissingData: TreatMissingData.NOT_BREACHING, ...definition });
    alarm.addAlarmAction(action);
    // announce the recovery too, so nobody has to check whether it is still firing
    alarm.addOkAction(action);
    return alarm;
  });
}
