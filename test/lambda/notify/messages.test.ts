import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MonitorEvent, MonitorFailureKind } from '../../../lambda/core/model.js';
import {
  chatbotNotification,
  emailText,
  type MessageContext,
  messageAttributes,
  snsMessage,
  subject,
} from '../../../lambda/notify/messages.js';
import { EXAMPLE_AT, EXAMPLE_BASE_URL, EXAMPLE_CONTEXT, EXAMPLE_TYPES, exampleEvent } from '../../../local/example-events.js';
import { exampleBlocks, messagesDocument } from '../../../local/print-examples.js';

const paused = (overrides: Partial<MonitorEvent> = {}) => exampleEvent('state-changed', overrides);
const MINUTE = 60_000;

/** Runs a command line from a message in bash, with `confluent` and `curl` replaced by functions that print one argument. */
function argumentSeenBy(commandLine: string, program: 'confluent' | 'curl', position: number): string {
  return execFileSync('bash', ['--norc', '--noprofile', '-c', `${program}() { printf '%s' "\${${position}}"; }; ${commandLine}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, API_KEY: 'key', API_SECRET: 'secret', SCHEMA_REGISTRY_URL: 'https://sr.example' },
  });
}

/** Runs a command line from a message in bash, with `curl` replaced by a function that prints every argument it gets. */
function curlArguments(commandLine: string): string[] {
  const output = execFileSync('bash', ['--norc', '--noprofile', '-c', `curl() { printf '%s\\0' "$@"; }; ${commandLine}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, API_KEY: 'key', API_SECRET: 'secret', TOKEN: 'tok', SCHEMA_REGISTRY_URL: 'https://sr.example' },
  });
  return output.split('\0').slice(0, -1);
}

function commandLine(text: string, start: string): string {
  const found = text.split('\n').map((line) => line.trim()).find((line) => line.startsWith(start));
  if (found === undefined) throw new Error(`no line starting with ${start} in:\n${text}`);
  return found;
}

describe('subject line', () => {
  it.each(EXAMPLE_TYPES)('a %s event has a subject SNS accepts: ASCII, one line, under 100 characters', (type) => {
    const line = subject(exampleEvent(type));
    expect(line).toMatch(/^\[prod\] [\x20-\x7e]+$/);
    expect(line.length).toBeLessThan(100);
  });

  it.each([
    ['state-changed', '[prod] orders-link RUNNING -> PAUSED'],
    ['first-seen-unhealthy', '[prod] orders-link is PAUSED (first check)'],
    ['disappeared', '[prod] orders-link disappeared'],
    ['reappeared', '[prod] orders-link reappeared as STARTING'],
    ['error-changed', '[prod] orders-link PAUSED with a new error'],
    ['stuck', '[prod] orders-link stuck in STARTING for 30m'],
    ['reminder', '[prod] reminder: orders-link PAUSED for 4h 1m'],
    ['recovered', '[prod] orders-link recovered after 42m'],
    ['monitor-degraded', '[prod] monitor cannot read registry (credentials)'],
    ['monitor-reminder', '[prod] reminder: monitor cannot read registry for 4h 1m (credentials)'],
    ['monitor-recovered', '[prod] monitor recovered after 42m'],
  ] as const)('a %s event reads "%s" in the inbox', (type, expected) => {
    expect(subject(exampleEvent(type))).toBe(expected);
  });

  it('a long exporter name is shortened with "..." and the state change stays readable', () => {
    const line = subject(paused({ exporterName: `orders-${'x'.repeat(300)}` }));
    expect(line.length).toBeLessThan(100);
    expect(line).toMatch(/^\[prod\] orders-x+\.\.\. RUNNING -> PAUSED$/);
  });

  it('accents, emoji and line breaks in an exporter name cannot make SNS reject the subject', () => {
    const line = subject(paused({ exporterName: 'café\r\nlink\u0007🚀\u202eevil' }));
    expect(line).toBe('[prod] cafe link ?? evil RUNNING -> PAUSED');
  });

  it('long durations read in hours and days', () => {
    expect(subject(exampleEvent('reminder', { since: EXAMPLE_AT - 90 * MINUTE }))).toBe('[prod] reminder: orders-link PAUSED for 1h 30m');
    expect(subject(exampleEvent('reminder', { since: EXAMPLE_AT - 3 * 24 * 60 * MINUTE }))).toBe('[prod] reminder: orders-link PAUSED for 3d');
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

  it('an unknown ts reads "unknown", and offset -1 says nothing was exported yet', () => {
    expect(emailText(paused({ ts: null, offset: -1 }))).toMatch(/Offset: +-1 \(nothing exported yet\)\nLast record \(ts\): unknown/);
    expect(emailText(paused({ ts: undefined, offset: undefined }))).toMatch(/Offset: +unknown\nLast record \(ts\): unknown/);
  });

  it('a recovery email says how long the incident lasted and that nothing is left to do', () => {
    const text = emailText(exampleEvent('recovered'));
    expect(text).toContain('is RUNNING again after 42m.');
    expect(text).toMatch(/Incident: +inc-[0-9a-f]{16}, lasted 42m/);
    expect(text).toContain('- Nothing to do');
  });

  it('without a base URL the curl commands use $SCHEMA_REGISTRY_URL', () => {
    expect(emailText(paused())).toContain('curl -u "$API_KEY:$API_SECRET" "$SCHEMA_REGISTRY_URL/exporters/orders-link/status"');
  });

  it('a stuck exporter email explains that a first export takes long, and offers no resume', () => {
    const text = emailText(exampleEvent('stuck'), EXAMPLE_CONTEXT);
    expect(text).toContain('has been STARTING for 30m');
    expect(text).toContain('4,000 schemas');
    expect(text).not.toContain('exporter resume');
  });

  it('a disappeared exporter email lists the exporters that exist instead of a status that does not', () => {
    const text = emailText(exampleEvent('disappeared'), EXAMPLE_CONTEXT);
    expect(text).toContain('404 with error code 40450');
    expect(text).toContain('confluent schema-registry exporter list');
    expect(text).not.toContain('Offset:');
    expect(text).not.toContain('status describe');
  });

  it.each([
    "orders link",
    "it's",
    'say "hi"',
    'x`whoami`',
    '$(touch /tmp/pwned)',
    'tab\there',
    'new\nline',
    '<!channel>&co',
    'ünïcødé/ß',
    'back\\slash*?[]',
  ])('a command pasted from the email acts on exporter %j, exactly', (name) => {
    const text = emailText(paused({ exporterName: name }), EXAMPLE_CONTEXT);
    expect(argumentSeenBy(commandLine(text, 'confluent schema-registry exporter status describe'), 'confluent', 5)).toBe(name);
    expect(argumentSeenBy(commandLine(text, 'confluent schema-registry exporter resume'), 'confluent', 4)).toBe(name);
    const url = new URL(argumentSeenBy(commandLine(text, 'curl -u "$API_KEY:$API_SECRET" -X PUT'), 'curl', 5));
    expect(url.origin).toBe(EXAMPLE_BASE_URL);
    const [, exporters, encoded, action] = url.pathname.split('/');
    expect([exporters, decodeURIComponent(encoded ?? ''), action]).toEqual(['exporters', name, 'resume']);
  });

  it('an exporter name too long to quote gets no command that would act on a shortened name', () => {
    const name = `orders-${'x'.repeat(400)}`;
    const text = emailText(paused({ exporterName: name }), EXAMPLE_CONTEXT);
    expect(text).toContain('407 characters long');
    expect(text).not.toContain('exporter resume');
    expect(text).toContain('confluent schema-registry exporter list');
  });

  it.each<[MonitorFailureKind, RegExp]>([
    ['credentials', /secret in Secrets Manager.*API key/],
    ['not-found', /base URL is wrong.*exporter API/],
    ['rate-limited', /lower requestsPerSecond/],
    ['server-error', /outage/],
    ['timeout', /requestTimeoutMs/],
    ['network', /could not connect/],
    ['invalid-response', /not the exporter API/],
    ['redirect', /never follows/],
    ['client-error', /refused the request/],
    ['configuration', /configuration is incomplete/],
  ])('a monitor failure of kind %s explains what it means and what to check', (kind, advice) => {
    const text = emailText(exampleEvent('monitor-degraded', { failure: { kind, message: 'it failed', httpStatus: 418, requestId: 'req-42' } }), EXAMPLE_CONTEXT);
    expect(text).toMatch(advice);
    expect(text).toContain(`The monitor cannot read registry prod (${kind}): it failed`);
    expect(text).toMatch(new RegExp(`Failure: +${kind}, HTTP 418`));
    expect(text).toMatch(/Request id: +req-42/);
    expect(text).toContain(`curl -u "$API_KEY:$API_SECRET" -i ${EXAMPLE_BASE_URL}/exporters`);
    expect(text).not.toContain('Exporter:');
  });

  it('a trace of 1 MB is cut to an excerpt in the email', () => {
    const text = emailText(paused({ trace: 'x'.repeat(1_000_000) }));
    expect(text.length).toBeLessThan(10_000);
    expect(text).toContain('x...');
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

  it('a trace full of Markdown cannot break the Slack message', () => {
    const trace = '```\n*bold* _it_ ~x~ <!channel> [link](https://evil.example) # | > quote\n```\n'.repeat(100);
    const { description } = chatbotNotification(paused({ trace })).content;
    const fence = description.indexOf('```\n');
    expect(fence).toBeGreaterThan(0);
    expect(description.endsWith('\n```')).toBe(true);
    const inside = description.slice(fence + 4, -4);
    expect(inside).not.toContain('`');
    expect(description).not.toContain('<!channel>');
    expect(inside).toContain('*bold* _it_ ~x~ &lt;!channel&gt; [link](https://evil.example)');
    expect(description.length).toBeLessThanOrEqual(3000);
  });

  it('an exporter name full of Markdown shows verbatim in a code span and cannot ping the channel', () => {
    const { content } = chatbotNotification(paused({ exporterName: '*x*_[y](https://evil.example)<!here>' }));
    expect(content.title).toContain('`*x*_[y](https://evil.example)&lt;!here&gt;`');
    expect(content.description).toContain('Exporter `*x*_[y](https://evil.example)&lt;!here&gt;` on registry prod');
    expect(JSON.stringify(content)).not.toContain('<!here>');
  });

  it('an exporter name with a backtick cannot close a code span: its Markdown is escaped', () => {
    const { content } = chatbotNotification(paused({ exporterName: 'a`b*c_[d](e)#|~' }));
    expect(content.title).toContain('a\\`b\\*c\\_\\[d\\]\\(e\\)\\#\\|\\~');
    const resume = content.nextSteps.find((step) => step.includes('exporter resume'));
    // The command spells the backtick as \x60, so the code span around it stays whole.
    expect(resume).toContain("`confluent schema-registry exporter resume $'a\\x60b*c_[d](e)#|~'`");
  });

  const huge = '\u20ac<*'.repeat(20_000);
  it.each([
    ['an exporter', paused({ exporterName: huge, registryId: huge, state: huge, previousState: huge, rootCause: huge, incidentId: huge, trace: huge })],
    [
      'the registry',
      exampleEvent('monitor-reminder', {
        registryId: huge,
        state: huge,
        previousState: huge,
        incidentId: huge,
        failure: { kind: 'network', message: huge, requestId: huge, path: huge, httpStatus: 599, errorCode: 50003 },
      }),
    ],
  ])('title and description about %s stay within their limits whatever the registry sends', (_, event) => {
    const { content } = chatbotNotification(event, { registryBaseUrl: `https://example.com/${huge}` });
    expect(content.title.length).toBeLessThan(250);
    expect(content.description.length).toBeLessThanOrEqual(3000);
  });
});

describe('SNS message', () => {
  it('subscribers get their own body: email the text, Chatbot over HTTPS (and SQS, Lambda) the notification JSON', () => {
    const event = paused();
    const message = snsMessage(event, EXAMPLE_CONTEXT);
    expect(message.MessageStructure).toBe('json');
    expect(message.Subject).toBe('[prod] orders-link RUNNING -> PAUSED');
    const bodies = JSON.parse(message.Message) as Record<string, string>;
    expect(bodies.default).toBe(emailText(event, EXAMPLE_CONTEXT));
    expect(bodies.email).toBe(bodies.default);
    for (const protocol of ['https', 'sqs', 'lambda']) {
      expect(JSON.parse(bodies[protocol] ?? '')).toEqual(chatbotNotification(event, EXAMPLE_CONTEXT));
    }
  });

  it.each([
    ['ASCII', 'x', 'y'],
    ['three-byte characters', '\u20ac', '\u20ac"\n'],
  ])('a 1 MB trace and a 10 KB exporter name of %s still make a message SNS accepts (< 256 KB)', (_, nameChar, traceChar) => {
    const event = paused({
      exporterName: nameChar.repeat(10_000),
      trace: traceChar.repeat(1_000_000 / traceChar.length),
      rootCause: traceChar.repeat(100_000),
    });
    const message = snsMessage(event, EXAMPLE_CONTEXT);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(256 * 1024);
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

  it('an exporter name of control characters still yields a valid, non-empty attribute', () => {
    expect(messageAttributes(paused({ exporterName: '\n\t\u0000' })).exporter).toEqual({ DataType: 'String', StringValue: '-' });
    expect(messageAttributes(paused({ exporterName: 'a\nb\u0000c' })).exporter?.StringValue).toBe('a b c');
  });
});

describe('the example events are what the core decides', () => {
  it.each(EXAMPLE_TYPES)('a %s example carries an event id and an incident id of the shape the core gives them', (type) => {
    const event = exampleEvent(type);
    expect(event.id).toMatch(/^evt-[0-9a-f]{24}$/);
    expect(event.incidentId).toMatch(/^inc-[0-9a-f]{16}$/);
    expect(event.at).toBe(EXAMPLE_AT);
    expect(event.notify).toBe(true);
  });

  it('every example has its own event id, and the messages of one incident share its id', () => {
    expect(new Set(EXAMPLE_TYPES.map((type) => exampleEvent(type).id)).size).toBe(EXAMPLE_TYPES.length);
    // Each opened 42 minutes before: the exporter's incident from PAUSED to a new error to RUNNING.
    expect(exampleEvent('error-changed').incidentId).toBe(exampleEvent('recovered').incidentId);
    expect(exampleEvent('monitor-recovered').incidentId).not.toBe(exampleEvent('recovered').incidentId);
  });
});

describe('curl commands follow how the registry authenticates', () => {
  const withAuth = (registryAuth: MessageContext['registryAuth']): MessageContext => ({ registryBaseUrl: EXAMPLE_BASE_URL, registryAuth });
  const resume = `${EXAMPLE_BASE_URL}/exporters/orders-link/resume`;

  it('basic auth, the default, sends the API key and secret from shell variables', () => {
    for (const context of [EXAMPLE_CONTEXT, withAuth({ kind: 'basic' })]) {
      const command = commandLine(emailText(paused(), context), 'curl -u "$API_KEY:$API_SECRET" -X PUT');
      expect(command).toBe(`curl -u "$API_KEY:$API_SECRET" -X PUT ${resume}`);
      expect(curlArguments(command)).toEqual(['-u', 'key:secret', '-X', 'PUT', resume]);
    }
  });

  it('a registry without auth gets commands without credentials', () => {
    const text = emailText(paused(), withAuth({ kind: 'none' }));
    expect(text).toContain(`curl ${EXAMPLE_BASE_URL}/exporters/orders-link/status`);
    expect(text).toContain(`curl -X PUT ${resume}`);
    expect(text).not.toMatch(/API_KEY|TOKEN|-H /);
    expect(curlArguments(commandLine(text, 'curl -X PUT'))).toEqual(['-X', 'PUT', resume]);
  });

  it('an OAuth registry gets a bearer token placeholder, its logical cluster and its identity pool as headers', () => {
    const text = emailText(paused(), withAuth({ kind: 'oauth', logicalCluster: 'lsrc-12345', identityPoolId: 'pool-AbCd' }));
    const command = commandLine(text, 'curl -H "Authorization: Bearer $TOKEN"');
    expect(command).toBe(
      `curl -H "Authorization: Bearer $TOKEN" -H "target-sr-cluster: lsrc-12345" -H "Confluent-Identity-Pool-Id: pool-AbCd" ${EXAMPLE_BASE_URL}/exporters/orders-link/status`,
    );
    expect(curlArguments(commandLine(text, 'curl -H "Authorization: Bearer $TOKEN" -H "target-sr-cluster: lsrc-12345" -H "Confluent-Identity-Pool-Id: pool-AbCd" -X PUT'))).toEqual([
      '-H',
      'Authorization: Bearer tok',
      '-H',
      'target-sr-cluster: lsrc-12345',
      '-H',
      'Confluent-Identity-Pool-Id: pool-AbCd',
      '-X',
      'PUT',
      resume,
    ]);
    expect(text).not.toContain('API_KEY');
  });

  it('an OAuth registry without an identity pool sends no pool header; without a logical cluster, a placeholder for it', () => {
    const withoutPool = commandLine(emailText(paused(), withAuth({ kind: 'oauth', logicalCluster: 'lsrc-12345' })), 'curl ');
    expect(withoutPool).toBe(`curl -H "Authorization: Bearer $TOKEN" -H "target-sr-cluster: lsrc-12345" ${EXAMPLE_BASE_URL}/exporters/orders-link/status`);
    const withoutCluster = commandLine(emailText(paused(), withAuth({ kind: 'oauth' })), 'curl ');
    expect(withoutCluster).toContain('-H "target-sr-cluster: $LOGICAL_CLUSTER"');
  });

  it('the monitor failure commands and the Slack next steps carry the same headers', () => {
    const context = withAuth({ kind: 'oauth', logicalCluster: 'lsrc-12345' });
    expect(emailText(exampleEvent('monitor-degraded'), context)).toContain(
      `curl -H "Authorization: Bearer $TOKEN" -H "target-sr-cluster: lsrc-12345" -i ${EXAMPLE_BASE_URL}/exporters`,
    );
    const { nextSteps } = chatbotNotification(paused(), context).content;
    expect(nextSteps).toContainEqual(
      expect.stringContaining(`\`curl -H "Authorization: Bearer $TOKEN" -H "target-sr-cluster: lsrc-12345" -X PUT ${resume}\``),
    );
  });

  it.each(["lsrc-'x'", 'lsrc $(touch /tmp/pwned) `id`', 'lsrc-<!here>&"q"'])(
    'a logical cluster id %j reaches curl exactly, and cannot break the Slack code span',
    (logicalCluster) => {
      const context = withAuth({ kind: 'oauth', logicalCluster });
      const command = commandLine(emailText(paused(), context), 'curl ');
      expect(curlArguments(command).slice(0, 4)).toEqual(['-H', 'Authorization: Bearer tok', '-H', `target-sr-cluster: ${logicalCluster}`]);
      for (const step of chatbotNotification(paused(), context).content.nextSteps) {
        expect(step).not.toMatch(/<|>/);
        expect((step.match(/`/g) ?? []).length % 2).toBe(0);
      }
    },
  );
});

describe('generated documentation', () => {
  const ROOT = path.join(import.meta.dirname, '..', '..', '..');
  const regenerate = 'regenerate it: npx tsx local/print-examples.ts > docs/messages.md';

  it('docs/messages.md is what local/print-examples.ts writes today', () => {
    const documented = readFileSync(path.join(ROOT, 'docs', 'messages.md'), 'utf8');
    expect({ file: 'docs/messages.md', upToDate: documented === messagesDocument(), fix: regenerate }).toEqual({
      file: 'docs/messages.md',
      upToDate: true,
      fix: regenerate,
    });
  });

  it("README.md's inline example is the generated state-changed email and Slack message", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const { email, slack } = exampleBlocks('state-changed');
    expect(readme).toContain(email);
    expect(readme).toContain(slack);
  });
});
