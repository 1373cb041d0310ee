import { ConsoleNotifier, type ConsoleNotifierOptions } from '../../local/console-notifier.js';
import { EXAMPLE_BASE_URL, EXAMPLE_TYPES, exampleEvent } from '../../local/example-events.js';

const ESCAPE = '\u001b[';

/** A notifier writing into a string, on a terminal or not. */
function capture(options: Omit<ConsoleNotifierOptions, 'writer'> & { tty?: boolean } = {}) {
  let output = '';
  const writer = { isTTY: options.tty ?? false, write: (text: string) => (output += text) };
  return { notifier: new ConsoleNotifier({ env: {}, ...options, writer }), output: () => output };
}

describe('ConsoleNotifier', () => {
  it('shows every event as the email people would get: subject line, then text', async () => {
    const { notifier, output } = capture({ registryBaseUrls: new Map([['prod', EXAMPLE_BASE_URL]]) });
    const events = EXAMPLE_TYPES.map((type) => exampleEvent(type));
    const result = await notifier.publish(events);
    expect(result).toEqual({ delivered: events.map((event) => event.id), failed: [], deferred: [] });
    expect(output()).toContain('[prod] orders-link RUNNING -> PAUSED  (critical)\n\nExporter orders-link on registry prod went from RUNNING to PAUSED.');
    expect(output()).toContain('[prod] monitor recovered after 42m  (info)');
    expect(output()).toContain(`${EXAMPLE_BASE_URL}/exporters/orders-link/resume`);
    expect(output()).not.toContain('"textType"');
  });

  it('advises about the network of this machine, not the function\'s VPC, when npm start cannot reach a registry', async () => {
    const { notifier, output } = capture();
    const unreachable = exampleEvent('monitor-degraded', { failure: { kind: 'network', message: 'could not reach the registry: connection refused (GET /exporters)' } });
    await notifier.publish([unreachable]);
    expect(output()).toContain('This machine could not connect to the registry');
    expect(output()).not.toMatch(/VPC|NAT|PrivateLink/);
  });

  it("the commands authenticate as each registry does: OAuth headers with a $TOKEN placeholder, basic when not said", async () => {
    const { notifier, output } = capture({
      registryBaseUrls: new Map([['prod', EXAMPLE_BASE_URL]]),
      registryAuth: new Map([['prod', { kind: 'oauth', logicalCluster: 'lsrc-12345' }]]),
      showSlack: true,
    });
    await notifier.publish([exampleEvent('state-changed'), exampleEvent('state-changed', { registryId: 'other' })]);
    const oauthResume = `curl -H "Authorization: Bearer $TOKEN" -H "target-sr-cluster: lsrc-12345" -X PUT ${EXAMPLE_BASE_URL}/exporters/orders-link/resume`;
    expect(output()).toContain(`    ${oauthResume}\n`);
    expect(output()).toContain(`\`${oauthResume.replace(/"/g, '\\"')}\``);
    expect(output()).toContain('curl -u "$API_KEY:$API_SECRET" -X PUT "$SCHEMA_REGISTRY_URL/exporters/orders-link/resume"');
  });

  it("points a reminder at the history in npm start's own store", async () => {
    const { notifier, output } = capture({ localStore: '.local-state' });
    await notifier.publish([exampleEvent('reminder')]);
    expect(output()).toMatch(/\n {4}npm run cli -- --local \.local-state history --registry prod --exporter orders-link --since 2024-05-01T06:41:00\.000Z\n/);
  });

  it('with showSlack, also shows the Slack notification as readable JSON', async () => {
    const { notifier, output } = capture({ showSlack: true });
    await notifier.publish([exampleEvent('stuck')]);
    const json = output().slice(output().indexOf('{\n'));
    expect(JSON.parse(json)).toMatchObject({ version: '1.0', content: { textType: 'client-markdown' }, metadata: { eventType: 'stuck' } });
  });

  it('colours the subject by severity on a terminal', async () => {
    const { notifier, output } = capture({ tty: true });
    await notifier.publish([exampleEvent('state-changed'), exampleEvent('recovered')]);
    expect(output()).toContain(`${ESCAPE}1;31m[prod] orders-link RUNNING -> PAUSED`);
    expect(output()).toContain(`${ESCAPE}1;32m[prod] orders-link recovered after 42m`);
  });

  it('writes no escape codes into a pipe or a file, nor when NO_COLOR is set', async () => {
    for (const options of [{ tty: false }, { tty: true, env: { NO_COLOR: '1' } }]) {
      const { notifier, output } = capture(options);
      await notifier.publish([exampleEvent('state-changed')]);
      expect(output()).not.toContain(ESCAPE);
    }
  });
});
