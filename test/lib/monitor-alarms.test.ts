/** The alarms on the monitor itself (lib/monitor-alarms.ts) as the construct deploys them: what each watches and whom it tells. */
import { logicalId, monitorStack } from './fixtures.js';

describe('ExporterMonitor', () => {
  describe('with the defaults', () => {
    const { monitor, template } = monitorStack();

    describe('alarms', () => {
      const alarm = (id: string) => template.toJSON().Resources[logicalId(monitor.node.findChild(id))].Properties;

      test('notify the alert topic on ALARM and on OK', () => {
        const topicRef = { Ref: logicalId(monitor.topic) };
        expect(monitor.alarms).toHaveLength(10);
        template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
        for (const { Properties } of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
          expect(Properties).toMatchObject({ AlarmActions: [topicRef], OKActions: [topicRef], AlarmDescription: expect.any(String) });
        }
      });

      const sum = { Statistic: 'Sum' };
      const anyAtAll = { ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 };
      const lambdaMetric = (metricName: string) => ({ Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(monitor.function) } }] });
      const queueMessages = (queue: 'invocationFailureQueue' | 'scheduleDeadLetterQueue') => ({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(monitor[queue]), 'QueueName'] } }],
        Statistic: 'Maximum',
      });
      const monitorMetric = (metricName: string) => ({
        Namespace: 'SchemaExporterMonitor',
        MetricName: metricName,
        Dimensions: [{ Name: 'service', Value: monitor.serviceName }],
        ...sum,
      });
      test.each<[string, string, Record<string, unknown>]>([
        ['FunctionErrorsAlarm', 'any failed run', { ...lambdaMetric('Errors'), ...sum, ...anyAtAll, Period: 300, EvaluationPeriods: 1, TreatMissingData: 'notBreaching' }],
        ['FunctionThrottlesAlarm', 'any throttled run', { ...lambdaMetric('Throttles'), ...sum, ...anyAtAll, Period: 300, EvaluationPeriods: 1 }],
        [
          'FunctionDurationAlarm',
          'a p99 duration over 80% of the timeout in 2 of 3 periods',
          { ...lambdaMetric('Duration'), ExtendedStatistic: 'p99', ComparisonOperator: 'GreaterThanThreshold', Threshold: 40_000, EvaluationPeriods: 3, DatapointsToAlarm: 2 },
        ],
        ['InvocationFailuresAlarm', 'any message in the failure queue', { ...queueMessages('invocationFailureQueue'), ...anyAtAll }],
        ['ScheduleDeadLettersAlarm', 'any message in the schedule dead-letter queue', { ...queueMessages('scheduleDeadLetterQueue'), ...anyAtAll }],
        [
          'MonitorFailuresAlarm',
          'registries left unchecked 3 periods in a row',
          { ...monitorMetric('MonitorFailures'), ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching' },
        ],
        [
          'SkippedExportersAlarm',
          'exporters left unread in 3 periods in a row',
          { ...monitorMetric('ExportersSkipped'), ...anyAtAll, EvaluationPeriods: 3, DatapointsToAlarm: 3 },
        ],
        ['DeliveryFailuresAlarm', 'any alert the function could not publish', { ...monitorMetric('DeliveryFailures'), ...anyAtAll, Period: 300 }],
        [
          'NotificationFailuresAlarm',
          'any alert SNS could not deliver',
          { Namespace: 'AWS/SNS', MetricName: 'NumberOfNotificationsFailed', Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [logicalId(monitor.topic), 'TopicName'] } }], ...anyAtAll },
        ],
      ])('%s fires on %s', (id, _, expected) => {
        expect(alarm(id)).toMatchObject(expected);
      });

      test('HeartbeatAlarm fires on no completed run for 3 intervals (raised to 5 minutes), from the free AWS/Lambda metrics, missing data included', () => {
        const lambdaStat = (metricName: string) => ({ Metric: lambdaMetric(metricName), Period: 300, Stat: 'Sum' });
        expect(alarm('HeartbeatAlarm')).toMatchObject({
          ComparisonOperator: 'LessThanThreshold',
          Threshold: 1,
          EvaluationPeriods: 1,
          TreatMissingData: 'breaching',
          Metrics: [
            // Completed runs: invocations that did not end in an error; no invocation at all leaves no data, which breaches.
            expect.objectContaining({ Expression: 'invocations - FILL(errors, 0)', ReturnData: true }),
            { Id: 'invocations', MetricStat: lambdaStat('Invocations'), ReturnData: false },
            { Id: 'errors', MetricStat: lambdaStat('Errors'), ReturnData: false },
          ],
        });
        // Not a custom metric: the heartbeat costs nothing a month.
        expect(JSON.stringify(alarm('HeartbeatAlarm'))).not.toContain('SchemaExporterMonitor');
      });
    });
  });
});
