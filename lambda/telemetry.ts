/**
 * Where the function's metrics go, shared by the function and the construct that alarms on them.
 * The construct gives each deployment its own service name (POWERTOOLS_SERVICE_NAME), so two
 * monitors in one account never share a heartbeat.
 */
export const METRICS_NAMESPACE = 'SchemaExporterMonitor';
export const DEFAULT_SERVICE_NAME = 'schema-exporter-monitor';

/**
 * The names of the metrics the function publishes (lambda/handler.ts) and the construct alarms on
 * (lib/monitor-metrics.ts): a renamed metric must rename its alarm's metric too, or the alarm
 * watches a metric nobody publishes.
 */
/**
 * Every one is a count of something wrong, published only when it is not zero: CloudWatch bills a custom
 * metric for the hours it receives data, so a month without trouble costs nothing for them. Alarms treat the
 * missing data as zero (not breaching), the dashboard draws it as zero. What every run does (completed runs,
 * duration) comes from the function's own AWS/Lambda metrics, which are free; counts of what a run did
 * (exporters checked, requests, events) are in its "run finished" log line.
 */
export const METRIC_NAMES = {
  /** Exporters a run had no time to read. */
  exportersSkipped: 'ExportersSkipped',
  /** Registries a run could not check. */
  monitorFailures: 'MonitorFailures',
  /** Alerts the function could not publish to SNS. */
  deliveryFailures: 'DeliveryFailures',
  /** Per registry (REGISTRY_DIMENSION): exporters whose confirmed state is unhealthy, other than stalled or drifted. */
  unhealthyExporters: 'UnhealthyExporters',
  /** Per registry: exporters RUNNING whose offset stands still although the source changed. */
  stalledExporters: 'StalledExporters',
  /** Per registry: exporters whose destination lacks what it should hold. */
  driftedExporters: 'DriftedExporters',
} as const;

/**
 * The dimension, beside `service`, of the per-registry metrics: the exporter counts above and `MonitorFailures`
 * of one registry. Each is $0.30 a month while published, that is while it is not zero.
 */
export const REGISTRY_DIMENSION = 'registry';
