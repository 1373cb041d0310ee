import { PublishBatchCommand, type PublishBatchCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { AuthConfig } from '../../../lambda/config.js';
import type { MonitorEvent } from '../../../lambda/core/model.js';
import { AFTER_PUBLISH_MS, batches, SNS_REQUEST_TIMEOUT_MS, SnsNotifier, type SnsNotifierOptions, snsClient } from '../../../lambda/notify/sns-notifier.js';
import { EXAMPLE_BASE_URL, EXAMPLE_TYPES, exampleEvent } from '../../../local/example-events.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:exporter-alerts';
const sns = mockClient(SNSClient);

function notifier(options: Partial<SnsNotifierOptions> = {}): SnsNotifier {
  return new SnsNotifier({ client: new SNSClient({}), topicArn: TOPIC, registryBaseUrls: new Map([['prod', EXAMPLE_BASE_URL]]), ...options });
}

/** The email body of each entry sent, in order. */
function sentEmails(): string[] {
  return sentBatches()
    .flatMap((batch) => batch.PublishBatchRequestEntries ?? [])
    .map((entry) => (JSON.parse(entry.Message ?? '{}') as Record<string, string>).email ?? '');
}

/** `count` events cycling through every event type, with ids SNS would not accept as entry ids. */
function events(count: number, overrides: Partial<MonitorEvent> = {}): MonitorEvent[] {
  return Array.from({ length: count }, (_, index) =>
    exampleEvent(EXAMPLE_TYPES[index % EXAMPLE_TYPES.length] ?? 'state-changed', { id: `prod:orders-link/event #${index}`, ...overrides }),
  );
}

/** Answers every batch as SNS does when it accepts all of it. */
function acceptEverything(): void {
  sns.on(PublishBatchCommand).callsFake((input: PublishBatchCommandInput) => ({
    Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
    Failed: [],
  }));
}

function sentBatches(): PublishBatchCommandInput[] {
  return sns.commandCalls(PublishBatchCommand).map((call) => call.args[0].input);
}

beforeEach(() => sns.reset());

describe('SnsNotifier', () => {
  it('23 events go out in 3 requests of at most 10, and all are delivered', async () => {
    acceptEverything();
    const sent = events(23);
    const result = await notifier().publish(sent);
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 3);
    expect(sentBatches().map((batch) => batch.PublishBatchRequestEntries?.length)).toEqual([10, 10, 3]);
    expect(sentBatches().every((batch) => batch.TopicArn === TOPIC)).toBe(true);
    expect(result).toEqual({ delivered: sent.map((event) => event.id), failed: [], deferred: [] });
  });

  it('entry ids are valid for SNS whatever the event ids look like', async () => {
    acceptEverything();
    await notifier().publish(events(12));
    for (const batch of sentBatches()) {
      for (const entry of batch.PublishBatchRequestEntries ?? []) expect(entry.Id).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    }
  });

  it('when SNS refuses some entries, exactly those events are reported failed, with its reason', async () => {
    sns.on(PublishBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm-0' }, { Id: '2', MessageId: 'm-2' }],
      Failed: [{ Id: '1', Code: 'InternalError', Message: 'try again', SenderFault: false }],
    });
    const [first, second, third] = events(3);
    const result = await notifier().publish([first!, second!, third!]);
    expect(result).toEqual({ delivered: [first!.id, third!.id], failed: [{ id: second!.id, reason: 'InternalError: try again' }], deferred: [] });
  });

  it('an entry SNS says nothing about counts as failed, so it is sent again next run', async () => {
    sns.on(PublishBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm-0' }] });
    const [first, second] = events(2);
    const result = await notifier().publish([first!, second!]);
    expect(result.delivered).toEqual([first!.id]);
    expect(result.failed).toEqual([{ id: second!.id, reason: 'SNS reported no result for this entry' }]);
  });

  it('a throttled or failing request fails only its own batch, and publish never throws', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sns.on(PublishBatchCommand).rejectsOnce(throttled).callsFake((input: PublishBatchCommandInput) => ({
      Successful: (input.PublishBatchRequestEntries ?? []).map((entry) => ({ Id: entry.Id, MessageId: 'm' })),
    }));
    const sent = events(13);
    const result = await notifier().publish(sent);
    expect(result.failed).toEqual(sent.slice(0, 10).map((event) => ({ id: event.id, reason: 'ThrottlingException: Rate exceeded' })));
    expect(result.delivered).toEqual(sent.slice(10).map((event) => event.id));
  });

  it('the email subscriber gets text and AWS Chatbot (HTTPS) gets the custom notification JSON', async () => {
    acceptEverything();
    await notifier().publish([exampleEvent('state-changed')]);
    const entry = sentBatches()[0]?.PublishBatchRequestEntries?.[0];
    expect(entry?.Subject).toBe('[prod] orders-link RUNNING -> PAUSED');
    expect(entry?.MessageStructure).toBe('json');
    expect(entry?.MessageAttributes?.severity).toEqual({ DataType: 'String', StringValue: 'critical' });
    const bodies = JSON.parse(entry?.Message ?? '{}') as Record<string, string>;
    expect(bodies.email).toContain('Exporter orders-link on registry prod went from RUNNING to PAUSED.');
    expect(bodies.email).toContain(`curl -u "$API_KEY:$API_SECRET" -X PUT ${EXAMPLE_BASE_URL}/exporters/orders-link/resume`);
    const chat = JSON.parse(bodies.default ?? '{}');
    expect(chat).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: ':rotating_light: [prod] orders-link RUNNING \u2192 PAUSED' },
      metadata: { threadId: exampleEvent('state-changed').incidentId, eventType: 'state-changed' },
    });
  });

  it('requests never pass the 256 KiB SNS accepts: messages past it go in more requests, in order', () => {
    const cut = (kib: readonly number[]) => [...batches(kib.map((size, index) => ({ index, bytes: size * 1024 })))].map((batch) => batch.map(({ index }) => index));
    expect(cut([100, 100, 100, 300, 20])).toEqual([[0, 1], [2], [3], [4]]);
    expect(cut([128, 128, 1])).toEqual([[0, 1], [2]]);
    expect(cut(Array.from({ length: 23 }, () => 1))).toEqual([[...Array(10).keys()], [...Array(10).keys()].map((i) => i + 10), [20, 21, 22]]);
  });

  it('ten of the largest messages the formatter makes fit one request under the 256 KiB SNS accepts', async () => {
    acceptEverything();
    const sent = events(10, { exporterName: '\u20ac'.repeat(10_000), trace: '\u20ac"'.repeat(500_000), rootCause: '\u20ac'.repeat(1_000) });
    const result = await notifier().publish(sent);
    expect(result.failed).toEqual([]);
    expect(sentBatches()).toHaveLength(1);
    for (const batch of sentBatches()) {
      // As SNS counts them: each body, and each attribute's name, data type and value.
      const bytes = (batch.PublishBatchRequestEntries ?? []).reduce(
        (sum, entry) =>
          Object.entries(entry.MessageAttributes ?? {}).reduce(
            (total, [name, attribute]) => total + Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType ?? '') + Buffer.byteLength(attribute.StringValue ?? ''),
            sum + Buffer.byteLength(entry.Message ?? ''),
          ),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
    }
  });

  it("each registry's commands authenticate as that registry does; the registry's auth configuration fits as it is", async () => {
    acceptEverything();
    const auth = new Map<string, AuthConfig>([
      ['prod', { kind: 'oauth', secretId: 'sr/prod', tokenUrl: 'https://idp.example/token', logicalCluster: 'lsrc-12345', identityPoolId: 'pool-AbCd' }],
      ['lab', { kind: 'none' }],
    ]);
    await notifier({ registryAuth: auth }).publish([
      exampleEvent('state-changed'),
      exampleEvent('state-changed', { registryId: 'lab', id: 'lab' }),
      exampleEvent('state-changed', { registryId: 'staging', id: 'staging' }),
    ]);
    const [prod, lab, staging] = sentEmails();
    expect(prod).toContain(
      `curl -H "Authorization: Bearer $TOKEN" -H "target-sr-cluster: lsrc-12345" -H "Confluent-Identity-Pool-Id: pool-AbCd" -X PUT ${EXAMPLE_BASE_URL}/exporters/orders-link/resume`,
    );
    // Nothing from the configuration but the two ids reaches the message.
    expect(prod).not.toMatch(/sr\/prod|idp\.example/);
    expect(lab).toContain('curl -X PUT "$SCHEMA_REGISTRY_URL/exporters/orders-link/resume"');
    expect(staging).toContain('curl -u "$API_KEY:$API_SECRET" -X PUT "$SCHEMA_REGISTRY_URL/exporters/orders-link/resume"');
  });

  it('nothing to send means no request at all', async () => {
    expect(await notifier().publish([])).toEqual({ delivered: [], failed: [], deferred: [] });
    expect(sns).toHaveReceivedCommandTimes(PublishBatchCommand, 0);
  });

  describe('with the invocation\'s deadline', () => {
    it('starts no request without the time to finish it and record it: the rest is deferred, not failed', async () => {
      acceptEverything();
      let timeLeftMs = 60_000;
      const sent = events(25);
      const result = await notifier().publish(sent, {
        deadline: { timeLeftMs: () => timeLeftMs },
        onDelivered: async () => {
          // Each request leaves just enough for one more, then not quite.
          timeLeftMs = timeLeftMs === 60_000 ? SNS_REQUEST_TIMEOUT_MS + AFTER_PUBLISH_MS : SNS_REQUEST_TIMEOUT_MS + AFTER_PUBLISH_MS - 1;
        },
      });
      expect(sentBatches()).toHaveLength(2);
      expect(result).toEqual({ delivered: sent.slice(0, 20).map((event) => event.id), failed: [], deferred: sent.slice(20).map((event) => event.id) });
    });

    it('reports what each request delivered before the next one starts', async () => {
      acceptEverything();
      const reported: number[] = [];
      const sent = events(23);
      await notifier().publish(sent, {
        deadline: { timeLeftMs: () => 60_000 },
        onDelivered: async (ids) => {
          reported.push(ids.length);
          expect(sentBatches()).toHaveLength(reported.length);
        },
      });
      expect(reported).toEqual([10, 10, 3]);
    });

    it('a request (its retries included) is aborted before the invocation ends', async () => {
      acceptEverything();
      await notifier().publish(events(1), { deadline: { timeLeftMs: () => 10_000 } });
      const signal = ((sns.commandCalls(PublishBatchCommand)[0]!.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
      expect(signal).toBeInstanceOf(AbortSignal);
      expect(signal!.aborted).toBe(false);
    });
  });

  it('the SNS client times out each attempt after SNS_REQUEST_TIMEOUT_MS, which the deadline checks count on', async () => {
    const handler = snsClient().config.requestHandler as unknown as { configProvider: Promise<{ requestTimeout?: number }> };
    expect((await handler.configProvider).requestTimeout).toBe(SNS_REQUEST_TIMEOUT_MS);
  });
});
