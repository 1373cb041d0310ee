/** Powertools singletons, created once per container and shared by the handler's modules. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

import { DEFAULT_SERVICE_NAME, METRICS_NAMESPACE, REGISTRY_DIMENSION } from './telemetry.js';

const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME;

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE });

/**
 * Metrics of one registry: the same namespace and service, with the registry as a second dimension. Their own
 * EMF document, published by the caller, so the run's totals above keep the service as their only dimension.
 */
export function registryMetrics(registryId: string): Metrics {
  return new Metrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE, defaultDimensions: { [REGISTRY_DIMENSION]: registryId } });
}
