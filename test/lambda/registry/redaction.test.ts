/**
 * A server that quotes the credentials back (a proxy, a chatty token endpoint) must not get them,
 * or any piece of them of 8 or more characters, into a failure: not when the quote is cut at the
 * message's length limit, not when the server had cut it itself, not in base64. A very short
 * secret must not mask ordinary words.
 */
import type { MonitorFailure } from '../../../lambda/core/model.js';
import type { RegistryCredentials } from '../../../lambda/registry/registry-client.js';
import { leakedPieces } from '../../support/fragments.js';
import { clientFor, failureOf, plentyOfTime, startSimulator } from './support.js';

const API_KEY = 'KEYQ7W2X9RTL4MNB';
const API_SECRET = 'p7Hq2vLx9Zr4Tn8Wc3Kd6Fj1Bs5Gm0Ya+Ue/Vi7Oo2Rt9Hl4Nx8Cq3Pw6Ez1Ak5D';
const CLIENT_ID = 'monitor-client-01';
const CLIENT_SECRET = 'Zk4Rm9Qx2Wv7Lt3Np8Hc5Js1Gd6Fb0Ty+Ua/Ei4Oo7Sr2Kl9Mx3Cw8Pq5Ez1Vn6B';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const STATUS_PATH = '/exporters/link/status';
const FILLER = 'The proxy in front of the registry refused this request. ';

/** What an echoing proxy says, after `padding` characters of other text. */
function echo(padding: number, authorization: string, user: string, password: string): string {
  const filler = FILLER.repeat(Math.ceil(padding / FILLER.length) + 1).slice(0, padding);
  return `${filler}Unauthorized: the request carried "${authorization}" (${user}:${password})`;
}

/** Everything of a failure a person or a log can see. */
const visible = (failure: MonitorFailure) => ({ 'the failure': JSON.stringify(failure) });

test('this test lengthens the quote past the 200-character cut at every offset of the secret', () => {
  const start = echo(0, `Basic ${base64(`${API_KEY}:${API_SECRET}`)}`, API_KEY, API_SECRET).indexOf(API_SECRET);
  expect(start).toBeLessThan(200);
  expect(start + API_SECRET.length).toBeGreaterThan(200);
});

describe('a registry that quotes HTTP Basic credentials back', () => {
  const credentials: RegistryCredentials = { kind: 'basic', apiKey: API_KEY, apiSecret: API_SECRET };
  const header = `Basic ${base64(`${API_KEY}:${API_SECRET}`)}`;
  const secrets = { 'the API secret': API_SECRET, 'the Basic credentials in base64': base64(`${API_KEY}:${API_SECRET}`) };

  async function failuresFor(bodies: readonly string[], requestIds: readonly string[] = []) {
    const simulator = await startSimulator({ auth: { kind: 'basic', apiKey: API_KEY, apiSecret: API_SECRET } });
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    const client = clientFor(simulator, { credentials });
    const failures: MonitorFailure[] = [];
    for (const [index, body] of bodies.entries()) {
      const requestId = requestIds[index];
      simulator.injectFault({ path: STATUS_PATH, status: 401, body, ...(requestId === undefined ? {} : { headers: { 'x-request-id': requestId } }) });
      failures.push(await failureOf(client.getStatus('link', plentyOfTime)));
    }
    return failures;
  }

  test('wherever the 200-character cut falls in the secret or the base64 header, no piece of 8 characters reaches the failure', async () => {
    const paddings = Array.from({ length: 70 }, (_, index) => index * 3);
    const failures = await failuresFor(paddings.map((padding) => JSON.stringify({ error_code: 401, message: echo(padding, header, API_KEY, API_SECRET) })));
    expect(failures.flatMap((failure) => leakedPieces(visible(failure), secrets))).toEqual([]);
    // The rest of the quote stays readable: only the credentials are masked.
    expect(failures[0]!.message).toContain('Unauthorized: the request carried "Basic ***" (KEYQ7W2X9RTL4MNB:***)');
  });

  test('a quote the server had already cut (a body read up to a byte limit) loses the piece of the secret it ends with', async () => {
    const quoted = `Unauthorized: the request carried ${API_KEY}:${API_SECRET}`;
    const cuts = [quoted.indexOf(API_SECRET) + 8, quoted.indexOf(API_SECRET) + 40, quoted.length - 1];
    const failures = await failuresFor(cuts.map((cut) => JSON.stringify({ error_code: 401, message: quoted.slice(0, cut) })));
    expect(failures.flatMap((failure) => leakedPieces(visible(failure), secrets))).toEqual([]);
    expect(failures[0]!.message).toContain(`Unauthorized: the request carried ${API_KEY}:***`);
  });

  test('an X-Request-Id quoting the Authorization header, cut at 100 characters, shows no piece of it', async () => {
    const requestIds = [0, 20, 40, 60].map((padding) => `${'r'.repeat(padding)}echo ${header}`);
    const failures = await failuresFor(requestIds.map(() => JSON.stringify({ error_code: 401, message: 'Unauthorized' })), requestIds);
    expect(failures.flatMap((failure) => leakedPieces(visible(failure), secrets))).toEqual([]);
    expect(failures[0]!.requestId).toBe('echo Basic ***');
  });
});

describe('an OAuth token endpoint and registry that quote credentials back', () => {
  const oauthServer = { kind: 'oauth', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, logicalCluster: 'lsrc-abc123' } as const;

  test('the client secret quoted by the token endpoint, cut at any offset, and a quoted bearer token leave no piece in the failures', async () => {
    const simulator = await startSimulator({ auth: oauthServer });
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    const credentials: RegistryCredentials = { ...oauthServer, tokenUrl: simulator.tokenUrl };
    const tokenHeader = `Basic ${base64(`${CLIENT_ID}:${CLIENT_SECRET}`)}`;
    const failures: MonitorFailure[] = [];
    for (const padding of Array.from({ length: 70 }, (_, index) => index * 3)) {
      const description = echo(padding, tokenHeader, CLIENT_ID, CLIENT_SECRET);
      simulator.injectFault({
        path: '/oauth/token',
        status: 401,
        contentType: 'application/json',
        headers: { 'x-request-id': `echo ${tokenHeader}` },
        body: JSON.stringify({ error: 'invalid_client', error_description: description }),
      });
      failures.push(await failureOf(clientFor(simulator, { credentials }).getStatus('link', plentyOfTime)));
    }
    // Now a token is issued and the registry quotes it back, at several offsets, with its refusal.
    const client = clientFor(simulator, { credentials });
    await client.getStatus('link', plentyOfTime);
    const token = /^Bearer (.+)$/.exec(simulator.recordedRequests.at(-1)!.headers.authorization!)![1]!;
    for (const padding of [0, 60, 120, 150, 170]) {
      const message = echo(padding, `Bearer ${token}`, '', '');
      simulator.injectFault({ path: STATUS_PATH, status: 403, body: JSON.stringify({ error_code: 403, message }), headers: { 'x-request-id': `${'r'.repeat(padding % 90)}${token}` } });
      failures.push(await failureOf(client.getStatus('link', plentyOfTime)));
    }

    expect(failures.map((failure) => failure.kind)).toEqual(failures.map(() => 'credentials'));
    const secrets = { 'the client secret': CLIENT_SECRET, 'the client credentials in base64': base64(`${CLIENT_ID}:${CLIENT_SECRET}`), 'the bearer token': token };
    expect(failures.flatMap((failure) => leakedPieces(visible(failure), secrets))).toEqual([]);
    expect(failures[0]!.message).toContain(`invalid_client: Unauthorized: the request carried "Basic ***" (${CLIENT_ID}:***)`);
  });
});

describe('a one-character secret', () => {
  test.each(['s', 'a'])('%j is masked where it stands alone, and ordinary words keep their letters', async (secret) => {
    const simulator = await startSimulator({ auth: { kind: 'basic', apiKey: 'KEY', apiSecret: secret } });
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    const message = `Unauthorized: this user's credentials (KEY:${secret}) were refused; see https://docs.example.com/errors`;
    simulator.injectFault({ path: STATUS_PATH, status: 401, body: JSON.stringify({ error_code: 401, message }) });
    simulator.injectFault({ path: STATUS_PATH, status: 302, headers: { location: 'https://elsewhere.example.com/' }, body: '' });
    const client = clientFor(simulator, { credentials: { kind: 'basic', apiKey: 'KEY', apiSecret: secret } });

    const refused = await failureOf(client.getStatus('link', plentyOfTime));
    const redirected = await failureOf(client.getStatus('link', plentyOfTime));
    expect(refused.message).toBe(
      `the registry refused the credentials (GET ${STATUS_PATH} -> HTTP 401, error_code 401: ` +
        "Unauthorized: this user's credentials (KEY:***) were refused; see https://docs.example.com/errors)",
    );
    expect(redirected.message).toBe(
      `the registry answered with a redirect, not followed so credentials stay with the configured host (GET ${STATUS_PATH} -> HTTP 302)`,
    );
  });
});
