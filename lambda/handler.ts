/**
 * The scheduled Lambda: wires the adapters (registry clients, DynamoDB store, SNS notifier) to
 * one monitor run, and reports the run as Powertools metrics. Everything else lives elsewhere.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { parseMonitorConfig } from './config.js';
import { CONFIG_ENV, decodeConfigEnv } from './config-env.js';
import { resolveCredentials, type SecretReader } from './credentials.js';
import { type Deadline, readingDeadline } from './deadline.js';
import { type RegistryRunReport, type RunReport, runMonitor, totalOf } from './monitor.js';
import { SnsNotifier, snsClient } from './notify/sns-notifier.js';
import { logger, metrics, registryMetrics } from './powertools.js';
import { StateStore } from './store/state-store.js';
import { METRIC_NAMES } from './telemetry.js';
import { watchRegistry } from './watched-registry.js';
import { reportConfigurationError } from './configuration-alert.js';
import { scheduledRegistryOf } from './scheduled-run.js';

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
  const config = parseMonitorConfig(decodeConfigEnv(requiredEnv(CONFIG_ENV)));
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

async function monitorRun(event: unknown, context: Context): Promise<{ events: number; failures: number }> {
  const started = Date.now();
  try {
    runtime ??= buildRuntime();
  } catch (error) {
    await reportConfigurationError(error as Error, started);
    throw error;
  }
  const scheduled = scheduledRegistryOf(event);
  const registries = scheduled === undefined ? runtime.registries : runtime.registries.filter(({ config }) => config.id === scheduled);
  if (registries.length === 0) {
    // A schedule left from an older configuration: the Errors alarm says so, every run, until it is deployed again.
    throw new Error(`the schedule names registry "${scheduled}", which the configuration does not have (${runtime.registries.map(({ config }) => config.id).join(', ')})`);
  }
  const invocation: Deadline = { timeLeftMs: () => context.getRemainingTimeInMillis() };
  const report = await runMonitor({
    ...runtime,
    registries,
    // Every registry may be a destination to verify a watched one against.
    destinations: runtime.registries,
    deadline: readingDeadline(invocation),
    invocationDeadline: invocation,
    now: Date.now,
    log: logger,
  });
  publishMetrics(report);
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

/** Only counts that are not zero (see METRIC_NAMES): a healthy run publishes no custom metric at all. */
function addCount(target: Metrics, name: string, count: number): void {
  if (count > 0) target.addMetric(name, MetricUnit.Count, count);
}

/** Publishes what was added, and nothing (not even Powertools' "no metrics" warning) when nothing was. */
function flush(target: Metrics): void {
  if (target.hasStoredMetrics()) target.publishStoredMetrics();
}

function publishMetrics(report: RunReport): void {
  const total = (pick: (r: RegistryRunReport) => number) => totalOf(report.registries, pick);
  // Reads left out after refused credentials are that failure's consequence, not a registry too big for a run.
  addCount(metrics, METRIC_NAMES.exportersSkipped, total((r) => (r.failures.length === 0 ? r.skipped : 0)));
  addCount(metrics, METRIC_NAMES.monitorFailures, total(failuresOf) + report.errors.length);
  addCount(metrics, METRIC_NAMES.deliveryFailures, total((r) => r.deliveryFailures));
  flush(metrics);
  publishRegistryMetrics(report);
}

/** Per registry, for the dashboard: its exporters by condition, and whether the run could check it. */
function publishRegistryMetrics(report: RunReport): void {
  for (const registry of report.registries) {
    const perRegistry = registryMetrics(registry.registryId);
    addCount(perRegistry, METRIC_NAMES.monitorFailures, failuresOf(registry));
    addCount(perRegistry, METRIC_NAMES.unhealthyExporters, registry.conditions.unhealthy);
    addCount(perRegistry, METRIC_NAMES.stalledExporters, registry.conditions.stalled);
    addCount(perRegistry, METRIC_NAMES.driftedExporters, registry.conditions.drifted);
    flush(perRegistry);
  }
  for (const { registryId } of report.errors) {
    const perRegistry = registryMetrics(registryId);
    addCount(perRegistry, METRIC_NAMES.monitorFailures, 1);
    flush(perRegistry);
  }
}

export const handler = middy(monitorRun).use(injectLambdaContext(logger));
