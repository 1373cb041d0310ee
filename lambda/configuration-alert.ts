/**
 * A configuration the function cannot use (edited by hand, a broken deploy) would otherwise be a
 * silent crash loop: say it once per container on the alert topic, then let the run fail so the
 * error alarm fires too.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { configurationEvent } from './core/events.js';
import { SnsNotifier, snsClient } from './notify/sns-notifier.js';
import { logger } from './powertools.js';

/** Whether SNS accepted the alert in this container; until it has, every invocation tries again. */
let reported = false;

export async function reportConfigurationError(error: Error, now: number, client: SNSClient = snsClient()): Promise<void> {
  logger.error('the configuration is not usable; the monitor cannot run', { problem: error.message });
  const topicArn = process.env.TOPIC_ARN;
  if (reported || !topicArn) return;
  const event = configurationEvent(error.message, now);
  const result = await new SnsNotifier({ client, topicArn, registryBaseUrls: new Map() }).publish([event]);
  reported = result.delivered.includes(event.id);
  for (const failure of result.failed) logger.error('the configuration alert was not published; the next invocation tries again', { ...failure });
}
