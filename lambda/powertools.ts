/** Powertools singletons, created once per container and shared by the handler's modules. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const SERVICE_NAME = 'schema-exporter-monitor';
export const METRICS_NAMESPACE = 'SchemaExporterMonitor';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE });
