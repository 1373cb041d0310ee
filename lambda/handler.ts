/**
 * The scheduled Lambda: wires the adapters (registry clients, DynamoDB store, SNS notifier) to
 * one monitor run, and reports the run as Powertools metrics. Everything else lives elsewhere.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { parseMonitorConfig } from './config.js';
import { resolveCredentials, type SecretReader } from './credentials.js';
import { type Deadline, readingDeadline } from './deadline.js';
import { type RegistryRunReport, type RunReport, runMonitor, totalOf } from './monitor.js';
import { SnsNotifier, snsClient } from './notify/sns-notifier.js';
import { logger, metrics, registryMetrics } from './powertools.js';
import { StateStore } from './store/state-store.js';
import { METRIC_NAMES } from './telemetry.js';
import { watchRegistry } from './watched-registry.js';
import { reportConfigurationError } from './configuration-alert.js';

/**
 * Secrets are re-read at most this often, so a rotated key is picked up within minutes; sooner
 * when the registry refuses the cached one (watched-registry.ts reads it again, past the cache).
 */
const SECRET_MAX_AGE_SECONDS = 300;
/** Attempts of every DynamoDB call: the SDK retries throttling with backoff in between (guarantee 5). */
export const DYNAMO_MAX_ATTEMPTS = 6;

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** Built on first use and kept while the container is warm: clients, caches, OAuth tokens. */
function buildRuntime() {
  const topicArn = requiredEnv('TOPIC_ARN');
  const config = parseMonitorConfig(requiredEnv('MONITOR_CONFIG'));
  const store = new StateStore({
    client: new DynamoDBClient({ maxAttempts: DYNAMO_MAX_ATTEMPTS }),
    tableName: requiredEnv('TABLE_NAME'),
    historyRetentionDays: config.historyRetentionDays,
  });
  const notifier = new SnsNotifier({
    client: snsClient(),
    topicArn,
    registryBaseUrls: new Map(config.registries.map((r) => [r.id, r.baseUrl])),
    // The kind of auth (never the secret) picks the right curl command in each message.
    registryAuth: new Map(config.registries.map((r) => [r.id, r.auth])),
  });
  const readSecret: SecretReader = (secretId, { fresh = false } = {}) =>
    getSecret<string>(secretId, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch: fresh });
  const registries = config.registries.map((registry, index) => {
    const resumeAuth = registry.autoResume?.auth;
    return watchRegistry(registry, {
      credentials: (options) => resolveCredentials(registry.auth, readSecret, `registries[${index}].auth`, options),
      ...(resumeAuth && { resumeCredentials: (options) => resolveCredentials(resumeAuth, readSecret, `registries[${index}].autoResume.auth`, options) }),
    });
  });
  return { store, notifier, registries };
}

let runtime: ReturnType<typeof buildRuntime> | undefined;

async function monitorRun(_event: unknown, context: Context): Promise<{ events: number; failures: number }> {
  const started = Date.now();
  try {
    runtime ??= buildRuntime();
  } catch (error) {
    await reportConfigurationError(error as Error, started);
    throw error;
  }
  const invocation: Deadline = { timeLeftMs: () => context.getRemainingTimeInMillis() };
  const report = await runMonitor({
    ...runtime,
    deadline: readingDeadline(invocation),
    invocationDeadline: invocation,
    now: Date.now,
    log: logger,
  });
  publishMetrics(report, Date.now() - started);
  logger.info('run finished', { registries: report.registries });
  if (report.errors.length > 0) {
    for (const { registryId, error } of report.errors) logger.error('registry run failed', { registryId, error });
    throw new AggregateError(report.errors.map((e) => e.error), `${report.errors.length} registry run(s) failed`);
  }
  return {
    events: totalOf(report.registries, (r) => r.eventsDecided),
    failures: totalOf(report.registries, (r) => r.failures.length),
  };
}

/** A registry's failed reads; one the run could not send a single request to was not checked at all: a failure too. */
function failuresOf(registry: RegistryRunReport): number {
  return registry.failures.length + (registry.failures.length === 0 && registry.requests === 0 ? 1 : 0);
}

/**
 * Each metric name costs $0.30 a month, more than the rest of the monitor at 100 exporters: these
 * are the ones an alarm watches or an operator graphs. Request and delivery counts are in the
 * "run finished" log line.
 */
function publishMetrics(report: RunReport, durationMs: number): void {
  const total = (pick: (r: RegistryRunReport) => number) => totalOf(report.registries, pick);
  // `Runs` is the heartbeat of completed runs: its alarm treats a missing data point as a monitor that stopped.
  if (report.errors.length === 0) metrics.addMetric(METRIC_NAMES.runs, MetricUnit.Count, 1);
  metrics.addMetric(METRIC_NAMES.exportersChecked, MetricUnit.Count, total((r) => r.exportersChecked));
  // Reads left out after refused credentials are that failure's consequence, not a registry too big for a run.
  metrics.addMetric(METRIC_NAMES.exportersSkipped, MetricUnit.Count, total((r) => (r.failures.length === 0 ? r.skipped : 0)));
  metrics.addMetric(METRIC_NAMES.monitorFailures, MetricUnit.Count, total(failuresOf) + report.errors.length);
  metrics.addMetric(METRIC_NAMES.eventsDecided, MetricUnit.Count, total((r) => r.eventsDecided));
  metrics.addMetric(METRIC_NAMES.deliveryFailures, MetricUnit.Count, total((r) => r.deliveryFailures));
  metrics.addMetric(METRIC_NAMES.runDuration, MetricUnit.Milliseconds, durationMs);
  publishRegistryMetrics(report);
}

/** Per registry, for the dashboard: its exporters by condition, and whether the run could check it. */
function publishRegistryMetrics(report: RunReport): void {
  for (const registry of report.registries) {
    const perRegistry = registryMetrics(registry.registryId);
    perRegistry.addMetric(METRIC_NAMES.monitorFailures, MetricUnit.Count, failuresOf(registry));
    perRegistry.addMetric(METRIC_NAMES.unhealthyExporters, MetricUnit.Count, registry.conditions.unhealthy);
    perRegistry.addMetric(METRIC_NAMES.stalledExporters, MetricUnit.Count, registry.conditions.stalled);
    perRegistry.addMetric(METRIC_NAMES.driftedExporters, MetricUnit.Count, registry.conditions.drifted);
    perRegistry.publishStoredMetrics();
  }
  for (const { registryId } of report.errors) {
    const perRegistry = registryMetrics(registryId);
    perRegistry.addMetric(METRIC_NAMES.monitorFailures, MetricUnit.Count, 1);
    perRegistry.publishStoredMetrics();
  }
}

export const handler = middy(monitorRun)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics));
