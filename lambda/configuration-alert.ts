/**
 * A configuration the function cannot use (edited by hand, a broken deploy) would otherwise be a
 * silent crash loop: say it once per container on the alert topic, then let the run fail so the
 * error alarm fires too.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { type MonitorEvent, REGISTRY_DEGRADED } from './core/model.js';
import { SnsNotifier } from './notify/sns-notifier.js';
import { logger } from './powertools.js';

let reported = false;

export async function reportConfigurationError(error: Error, client: SNSClient = new SNSClient({})): Promise<void> {
  logger.error('the configuration is not usable; the monitor cannot run', { problem: error.message });
  const topicArn = process.env.TOPIC_ARN;
  if (reported || !topicArn) return;
  reported = true;
  const now = Date.now();
  const event: MonitorEvent = {
    id: `evt-configuration-${now}`,
    type: 'monitor-degraded',
    severity: 'critical',
    registryId: 'configuration',
    at: now,
    state: REGISTRY_DEGRADED,
    since: now,
    failure: { kind: 'configuration', message: error.message },
    notify: true,
  };
  await new SnsNotifier({ client, topicArn, registryBaseUrls: new Map() }).publish([event]);
}
