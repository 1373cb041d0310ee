/**
 * Where the function's metrics go, shared by the function and the construct that alarms on them.
 * The construct gives each deployment its own service name (POWERTOOLS_SERVICE_NAME), so two
 * monitors in one account never share a heartbeat.
 */
export const METRICS_NAMESPACE = 'SchemaExporterMonitor';
export const DEFAULT_SERVICE_NAME = 'schema-exporter-monitor';
