import { chatbotNotification, emailText, messageAttributes, snsMessage, subject } from '../../../lambda/notify/messages.js';
import { EXAMPLE_TYPES, EXAMPLE_BASE_URL, EXAMPLE_CONTEXT, exampleEvent } from '../../../local/example-events.js';
import { paused } from '../../support/paused-example.js';

describe('subject line', () => {
  it.each(EXAMPLE_TYPES)('a %s event has a subject SNS accepts: ASCII, one line, under 100 characters', (type) => {
    const line = subject(exampleEvent(type));
    expect(line).toMatch(/^\[prod\] [\x20-\x7e]+$/);
    expect(line.length).toBeLessThan(100);
  });
});

describe('email text', () => {
  it('a paused exporter email says what happened, why, and how to resume it', () => {
    const text = emailText(paused(), EXAMPLE_CONTEXT);
    expect(text.split('\n')[0]).toBe('Exporter orders-link on registry prod went from RUNNING to PAUSED.');
    expect(text).toContain(`Registry:         prod (${EXAMPLE_BASE_URL})`);
    expect(text).toContain('State:            RUNNING -> PAUSED');
    expect(text).toContain('Since:            2024-05-01T10:41:00.000Z (for 1m)');
    expect(text).toContain('Event time:       2024-05-01T10:42:00.000Z');
    expect(text).toContain('Offset:           1234');
    expect(text).toContain('Last record (ts): 2023-11-29T21:08:13.264Z');
    expect(text).toMatch(/Root cause: +io\.confluent\..*RestClientException: Subject .* is not in import mode; error code: 42205/);
    expect(text).toContain('Error code:       42205');
    expect(text).toContain('IMPORT mode');
    expect(text).toMatch(/Incident: +inc-[0-9a-f]{16}, opened 2024-05-01T10:41:00.000Z/);
    expect(text).toContain('confluent schema-registry exporter status describe orders-link');
    expect(text).toContain('confluent schema-registry exporter resume orders-link');
    expect(text).toContain(`curl -u "$API_KEY:$API_SECRET" ${EXAMPLE_BASE_URL}/exporters/orders-link/status`);
    expect(text).toContain(`curl -u "$API_KEY:$API_SECRET" -X PUT ${EXAMPLE_BASE_URL}/exporters/orders-link/resume`);
    expect(text).toContain('    \tat io.confluent.kafka.schemaregistry.client.rest.RestService.sendHttpRequest');
    expect(text).toMatch(/\nEvent id: evt-[0-9a-f]{24}$/);
  });
});

describe('reminders', () => {
  it.each(['reminder', 'monitor-reminder'] as const)('a %s is a few lines that name the incident of the first alert, not its trace again', (type) => {
    const reminder = exampleEvent(type);
    const opened = new Date(reminder.incidentOpenedAt!).toISOString();
    const text = emailText(reminder, EXAMPLE_CONTEXT);
    // The sentence, two facts, the one step and its command, the event id, and the blank lines between.
    expect(text.split('\n').length).toBeLessThanOrEqual(10);
    expect(text.split('\n')[0]).toMatch(/still .*, for 4h 1m now/);
    expect(text).toMatch(new RegExp(`\nRoot cause: +${reminder.rootCause!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
    expect(text).toContain(`Incident:         ${reminder.incidentId}, opened ${opened}`);
    expect(text).toContain('The first message of this incident has the full details');
    expect(text).toMatch(new RegExp(`\n    exporter-monitor history --registry prod${type === 'reminder' ? ' --exporter orders-link' : ''} --since ${opened}\n`));
    expect(text).not.toMatch(/Trace|\tat |curl |confluent schema-registry/);
  });

  it('in chat, a reminder is as short: in the first alert\'s thread, no trace, one step with the one command', () => {
    const reminder = exampleEvent('reminder');
    const { content, metadata } = chatbotNotification(reminder, EXAMPLE_CONTEXT);
    expect(metadata.threadId).toBe(reminder.incidentId);
    expect(content.description.split('\n')).toEqual([
      'Exporter orders-link on registry prod is still PAUSED, for 4h 1m now.',
      '',
      expect.stringMatching(/^\*Root cause:\* `io\.confluent\..*error code: 42205`$/),
      `*Incident:* ${reminder.incidentId}, opened ${new Date(reminder.incidentOpenedAt!).toISOString()}`,
    ]);
    expect(content.nextSteps).toEqual([expect.stringMatching(/What happened since it opened: `exporter-monitor history --registry prod --exporter orders-link --since \S+`$/)]);
  });
});

describe('Slack message (AWS Chatbot custom notification)', () => {
  it.each(EXAMPLE_TYPES)('a %s event follows the custom notification schema, with string-only context', (type) => {
    const notification = chatbotNotification(exampleEvent(type), EXAMPLE_CONTEXT);
    expect(notification).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' }, metadata: { eventType: type } });
    expect(notification.id).toBe(exampleEvent(type).id);
    expect(notification.content.title.length).toBeLessThan(250);
    expect(notification.content.nextSteps.length).toBeGreaterThan(0);
    for (const contextValue of Object.values(notification.metadata.additionalContext)) expect(typeof contextValue).toBe('string');
  });

  it('a paused exporter shows state, cause and commands in chat', () => {
    const { content, metadata } = chatbotNotification(paused(), EXAMPLE_CONTEXT);
    expect(content.title).toBe(':rotating_light: [prod] orders-link RUNNING \u2192 PAUSED');
    expect(content.description).toContain('*State:* RUNNING \u2192 PAUSED');
    expect(content.description).toContain('*Root cause:* `io.confluent.');
    expect(content.nextSteps).toContainEqual(expect.stringContaining('`confluent schema-registry exporter resume orders-link`'));
    expect(metadata.additionalContext).toMatchObject({
      registry: 'prod',
      exporter: 'orders-link',
      event: 'state-changed',
      severity: 'critical',
      incidentId: paused().incidentId,
      state: 'PAUSED',
      previousState: 'RUNNING',
      ts: '2023-11-29T21:08:13.264Z',
    });
  });

  it('messages of one incident share a Slack thread; without an incident the exporter has its own thread', () => {
    expect(chatbotNotification(paused()).metadata.threadId).toBe(paused().incidentId);
    expect(chatbotNotification(exampleEvent('recovered')).metadata.threadId).toBe(exampleEvent('error-changed').incidentId);
    expect(chatbotNotification(paused({ incidentId: undefined })).metadata.threadId).toBe('prod/orders-link');
    expect(chatbotNotification(exampleEvent('monitor-degraded', { incidentId: undefined })).metadata.threadId).toBe('prod');
  });
});

describe('SNS message', () => {
  it('email subscribers get the text, SMS the subject line; every other protocol (Chatbot over HTTPS, SQS, Lambda) one copy of the notification JSON', () => {
    const event = paused();
    const message = snsMessage(event, EXAMPLE_CONTEXT);
    expect(message.MessageStructure).toBe('json');
    expect(message.Subject).toBe('[prod] orders-link RUNNING -> PAUSED');
    const bodies = JSON.parse(message.Message) as Record<string, string>;
    expect(bodies.email).toBe(emailText(event, EXAMPLE_CONTEXT));
    expect(bodies.sms).toBe(message.Subject);
    // Every protocol without a key of its own gets `default`: no copy of it per protocol.
    expect(Object.keys(bodies).sort()).toEqual(['default', 'email', 'sms']);
    expect(JSON.parse(bodies.default ?? '')).toEqual(chatbotNotification(event, EXAMPLE_CONTEXT));
  });

  it('message attributes let subscriptions filter by registry, exporter, event, severity and incident', () => {
    expect(messageAttributes(paused())).toEqual({
      registry: { DataType: 'String', StringValue: 'prod' },
      exporter: { DataType: 'String', StringValue: 'orders-link' },
      event: { DataType: 'String', StringValue: 'state-changed' },
      severity: { DataType: 'String', StringValue: 'critical' },
      state: { DataType: 'String', StringValue: 'PAUSED' },
      incident_id: { DataType: 'String', StringValue: paused().incidentId },
      event_id: { DataType: 'String', StringValue: paused().id },
    });
  });

  it('events about the registry itself carry no exporter attribute, and no incident attribute without an incident', () => {
    const attributes = messageAttributes(exampleEvent('monitor-degraded', { incidentId: undefined }));
    expect(Object.keys(attributes).sort()).toEqual(['event', 'event_id', 'registry', 'severity', 'state']);
  });
});

describe('states named like the properties of every JavaScript object', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('an exporter %s still gets every message, its state explained as unknown', (state) => {
    const event = paused({ state });
    expect(emailText(event)).toContain('The registry reported a state this monitor does not know');
    expect(emailText(event)).not.toContain('[native code]');
    expect(() => snsMessage(event, EXAMPLE_CONTEXT)).not.toThrow();
    expect(chatbotNotification(event).content.description).toContain(state);
  });
});
