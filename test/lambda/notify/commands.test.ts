import { execFileSync } from 'node:child_process';
import type { MessageContext } from '../../../lambda/notify/message-context.js';
import { chatbotNotification, emailText } from '../../../lambda/notify/messages.js';
import { EXAMPLE_BASE_URL, EXAMPLE_CONTEXT, exampleEvent } from '../../../local/example-events.js';
import { paused } from '../../support/paused-example.js';

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

describe('email text', () => {
  it('without a base URL the curl commands use $SCHEMA_REGISTRY_URL', () => {
    expect(emailText(paused())).toContain('curl -u "$API_KEY:$API_SECRET" "$SCHEMA_REGISTRY_URL/exporters/orders-link/status"');
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
});

describe('the history command of a reminder', () => {
  /** Runs the command in bash with the CLI replaced by a function that prints every argument it gets. */
  function cliArguments(commandLine: string, program: string): string[] {
    const output = execFileSync('bash', ['--norc', '--noprofile', '-c', `${program}() { printf '%s\\0' "$@"; }; ${commandLine}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    return output.split('\0').slice(0, -1);
  }

  it.each(['orders link', 'x`whoami`', '$(touch /tmp/pwned)', "it's"])('reads the history of exporter %j exactly, from the incident on', (name) => {
    const reminder = exampleEvent('reminder', { exporterName: name, registryId: 'prod eu' });
    const command = commandLine(emailText(reminder, EXAMPLE_CONTEXT), 'exporter-monitor history');
    expect(cliArguments(command, 'exporter-monitor')).toEqual(['history', '--registry', 'prod eu', '--exporter', name, '--since', new Date(reminder.incidentOpenedAt!).toISOString()]);
  });

  it('on a laptop reads the local store of npm start, wherever it is', () => {
    const command = commandLine(emailText(exampleEvent('reminder'), { ...EXAMPLE_CONTEXT, localStore: 'my state' }), 'npm run cli');
    expect(cliArguments(command, 'npm').slice(0, 6)).toEqual(['run', 'cli', '--', '--local', 'my state', 'history']);
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
