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
export const METRIC_NAMES = {
  /** Completed runs: the heartbeat. */
  runs: 'Runs',
  exportersChecked: 'ExportersChecked',
  /** Exporters a run had no time to read. */
  exportersSkipped: 'ExportersSkipped',
  /** Registries a run could not check. */
  monitorFailures: 'MonitorFailures',
  eventsDecided: 'EventsDecided',
  /** Alerts the function could not publish to SNS. */
  deliveryFailures: 'DeliveryFailures',
  runDuration: 'RunDuration',
  /** Per registry (REGISTRY_DIMENSION): exporters whose confirmed state is unhealthy, other than stalled or drifted. */
  unhealthyExporters: 'UnhealthyExporters',
  /** Per registry: exporters RUNNING whose offset stands still although the source changed. */
  stalledExporters: 'StalledExporters',
  /** Per registry: exporters whose destination lacks what it should hold. */
  driftedExporters: 'DriftedExporters',
} as const;

/**
 * The dimension, beside `service`, of the per-registry metrics: the exporter counts above and `MonitorFailures`
 * of one registry. Each registry adds four custom metrics ($0.30 each a month).
 */
export const REGISTRY_DIMENSION = 'registry';
