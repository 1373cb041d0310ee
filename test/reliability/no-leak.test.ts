/**
 * Guarantee 7: no leak. The real handler runs several times with real credentials (HTTP Basic,
 * then OAuth with a token endpoint), through failures: refused credentials, a proxy that echoes
 * the Authorization header back, redirects to another host, outages, an SNS failure. Everything
 * the function emits is captured (stdout/stderr: Powertools logs and EMF metrics; every SNS
 * message attempted; every DynamoDB item: records, outboxes, history; what the handler returned
 * or threw) and searched for any piece of 8 or more characters of the secrets, of the Basic
 * credentials in base64, and of every bearer token issued. The secrets are 64 characters long, and
 * the echoes put them at many offsets, so some straddle the point where the monitor cuts a
 * server's text, and a proxy cuts its own echo in the middle of a secret. Every request the
 * function sent is recorded too: credentials only ever go to the configured registry and token
 * URL, and a redirect is never followed.
 */
import type { Context } from 'aws-lambda';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { RegistrySimulator, SAMPLE_TRACE, type SimulatorAuth } from '../../local/simulator.js';
import { Elsewhere, HttpSpy } from '../support/http-spy.js';
import { leakedPieces } from '../support/fragments.js';
import { freshFunction, type FreshFunction, type FreshFunctionOptions, withEnvironment } from '../support/fresh-function.js';
import { functionEnvironment } from '../support/handler-harness.js';
import { scanTable } from '../support/monitor-rig.js';
import { type CapturedOutput, captureOutput } from '../support/output-capture.js';

const API_KEY = 'LEAKTESTKEY7QW2X';
const API_SECRET = 'Zx81vQ0pL2mN7rT4Hq5wY3kB9sJ6dF1aGe8uRc2oVt7yNb4iMh0lKj6pWq3sXz9D';
const CLIENT_ID = 'leak-client-id';
const CLIENT_SECRET = 'Hq5wY3kB9sJ6dF1Tg4nRb8vLc2xPz7mQe0aWu5iKo3yNh9jSd6fXt1rGl8pVc4Eu';
/**
 * Filler before each echo, so the credentials reach the 200-character cut of a server's message
 * (and the 100-character cut of a request id) at several offsets, whole secrets and base64 alike.
 */
const ECHO_PADDINGS = [0, 8, 16, 24, 30, 45, 60, 90, 120, 150];
/** Where a proxy cuts its own echo: past the key and into the secret. */
const ECHO_CUTS = [90, 185, 215];
/** The token URL as configured (https, as the configuration requires); the spy sends it to the simulator. */
const TOKEN_URL = 'https://idp.example.test/oauth2/token';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

let dynamo: EmbeddedDynamo;
let elsewhere: Elsewhere;
let simulator: RegistrySimulator;
let spy: HttpSpy;
let output: CapturedOutput;
let restoreEnvironment: () => void;
let fn: FreshFunction;
const outcomes: unknown[] = [];

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  elsewhere = await Elsewhere.start();
});
afterAll(async () => {
  await elsewhere.close();
  await dynamo.close();
});
afterEach(async () => {
  output.restore();
  await spy.restore();
  fn.restore();
  restoreEnvironment();
  await simulator.close();
  outcomes.splice(0);
});

async function start(auth: SimulatorAuth, registryAuth: Record<string, unknown>, secret: Record<string, string>, options: Partial<FreshFunctionOptions> = {}) {
  simulator = await RegistrySimulator.start({ auth });
  for (const name of ['orders', 'payments']) simulator.setExporter({ name, state: 'RUNNING', offset: 3 });
  restoreEnvironment = withEnvironment(
    functionEnvironment(
      dynamo.endpoint,
      JSON.stringify({
        registries: [{ id: `leak-${auth.kind}`, baseUrl: simulator.baseUrl, allowInsecureHttp: true, auth: { secretId: 'sr/leak', ...registryAuth } }],
      }),
    ),
  );
  spy = new HttpSpy();
  spy.rewrites.set(TOKEN_URL, simulator.tokenUrl);
  await spy.install();
  output = captureOutput();
  const fnOptions: FreshFunctionOptions = { secrets: new Map([['sr/leak', JSON.stringify(secret)]]), ...options };
  fn = await freshFunction(fnOptions);
  return fnOptions;
}

/** One invocation; whatever it returns or throws is kept for the search. */
async function invoke(context?: Context): Promise<void> {
  try {
    outcomes.push(await fn.invoke(context));
  } catch (error) {
    const { name, message, stack } = error as Error;
    outcomes.push({ name, message, stack, errors: (error as AggregateError).errors?.map(String) });
  }
}

/** Everything the function emitted, by where it went. */
async function everythingEmitted(): Promise<Record<string, string>> {
  const items = await scanTable(dynamo.client);
  return {
    'stdout/stderr (logs, EMF metrics)': output.text(),
    'SNS messages': JSON.stringify(fn.attempted),
    'DynamoDB items': JSON.stringify(items.map(({ raw }) => raw)),
    'handler results and errors': JSON.stringify(outcomes),
  };
}

function bearerTokens(): string[] {
  const tokens = simulator.recordedRequests
    .map((request) => /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1])
    .filter((token): token is string => token !== undefined);
  return [...new Set(tokens)];
}

/** Credentials went only to the registry (its exporter API) and the token URL; nothing reached the other host. */
function expectCredentialsOnlyWhereConfigured(registryBaseUrl: string): void {
  const withCredentials = spy.requests.filter((request) => request.authorization !== undefined);
  expect(withCredentials.length).toBeGreaterThan(0);
  for (const request of withCredentials) {
    // The exporter API, and the schema listing that stall and drift detection read, of the configured registry only.
    const allowed = request.url === TOKEN_URL || [`${registryBaseUrl}/exporters`, `${registryBaseUrl}/schemas?`].some((prefix) => request.url.startsWith(prefix));
    expect([request.url, allowed]).toEqual([request.url, true]);
  }
  expect(spy.requests.filter((request) => request.url.startsWith(elsewhere.url))).toEqual([]);
  expect(elsewhere.received).toEqual([]);
}

/** One invocation per echo offset, then per point where the proxy cuts its own echo. */
async function echoes(): Promise<void> {
  for (const padding of ECHO_PADDINGS) {
    spy.echoPadding = padding;
    await invoke();
  }
  spy.echoPadding = 0;
  for (const cut of ECHO_CUTS) {
    spy.echoCut = cut;
    await invoke();
  }
  spy.echoCut = undefined;
}

describe('guarantee 7: no leak', () => {
  test('HTTP Basic: through changes, refusals, an echoing proxy, redirects, outages and an SNS failure, no output holds the secret', async () => {
    const options = await start({ kind: 'basic', apiKey: API_KEY, apiSecret: API_SECRET }, { kind: 'basic' }, { apiKey: API_KEY, apiSecret: API_SECRET });

    await invoke();
    simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
    await invoke();
    await invoke();
    // A proxy that quotes the Authorization header back, at several offsets: monitor degraded, with its message.
    spy.echo = (url) => url.pathname === '/exporters';
    await echoes();
    spy.echo = undefined;
    // Redirects to another host, on the list and on a status.
    simulator.injectFault({ path: '/exporters', status: 302, headers: { location: `${elsewhere.url}/exporters` }, body: '', times: 1 });
    await invoke();
    simulator.injectFault({ path: '/exporters/orders/status', status: 307, headers: { location: `${elsewhere.url}/steal` }, body: '', times: 4 });
    await invoke();
    // An outage, a reset connection, and SNS refusing to publish.
    simulator.injectFault({ path: /^\/exporters/, status: 503, headers: { 'retry-after': '0' }, body: '<html>down</html>', contentType: 'text/html', times: 20 });
    await invoke();
    simulator.injectFault({ path: '/exporters/payments/status', reset: true, times: 1 });
    options.publishBatch = () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    };
    simulator.setExporter({ name: 'orders', state: 'RUNNING' });
    await invoke();
    options.publishBatch = undefined;
    await invoke();

    expect(fn.published.length).toBeGreaterThanOrEqual(3);
    expect(fn.published.some((entry) => entry.MessageAttributes?.event?.StringValue === 'monitor-degraded')).toBe(true);
    expect(spy.echoed).toBeGreaterThan(0);
    const emitted = await everythingEmitted();
    expect(emitted['SNS messages']).toContain('refused the credentials');
    // The echoes reached the outputs: what is searched below is really there, minus the credentials.
    expect(emitted['DynamoDB items']).toContain('Unauthorized: the request carried');
    expect(leakedPieces(emitted, { 'the API secret': API_SECRET, 'the Basic credentials in base64': base64(`${API_KEY}:${API_SECRET}`) })).toEqual([]);
    expectCredentialsOnlyWhereConfigured(simulator.baseUrl);
  });

  test('OAuth: through token renewal, a refused and an echoing token endpoint, echoed bearer tokens, redirects and a deadline, no output holds a secret or a token', async () => {
    await start(
      { kind: 'oauth', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, logicalCluster: 'lsrc-leak1', identityPoolId: 'pool-leak1', tokenLifetimeSeconds: 3600 },
      { kind: 'oauth', tokenUrl: TOKEN_URL, logicalCluster: 'lsrc-leak1', identityPoolId: 'pool-leak1' },
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    );

    await invoke();
    simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
    await invoke();
    // The registry stops trusting the token: renewed once, read goes on.
    simulator.revokeTokens();
    await invoke();
    // The registry (a proxy in front of it) answers 401 quoting the bearer token, even after renewal.
    spy.echo = (url) => url.pathname.endsWith('/status');
    await echoes();
    // Time runs out right after a quoted token was refused: the read ends with that refusal.
    spy.echo = (url) => url.pathname === '/exporters';
    simulator.revokeTokens();
    const echoedBefore = spy.echoed;
    const end = Date.now() + 50_000;
    await invoke({ ...lambdaContext(), getRemainingTimeInMillis: () => (spy.echoed > echoedBefore ? 1_000 : end - Date.now()) });
    // The token endpoint refuses the client, then quotes its Basic credentials back.
    spy.echo = undefined;
    simulator.revokeTokens();
    simulator.injectFault({ path: '/oauth/token', status: 401, contentType: 'application/json', body: JSON.stringify({ error: 'invalid_client' }), times: 1 });
    await invoke();
    spy.echo = (url) => url.href === TOKEN_URL;
    await echoes();
    // The token endpoint and the registry redirect elsewhere.
    spy.echo = undefined;
    simulator.injectFault({ path: '/oauth/token', status: 302, headers: { location: `${elsewhere.url}/oauth/token` }, body: '', times: 1 });
    await invoke();
    simulator.injectFault({ path: '/exporters', status: 301, headers: { location: `${elsewhere.url}/exporters` }, body: '', times: 1 });
    await invoke();
    simulator.setExporter({ name: 'orders', state: 'RUNNING' });
    await invoke();

    const tokens = bearerTokens();
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(spy.echoed).toBeGreaterThan(2);
    expect(fn.published.some((entry) => entry.MessageAttributes?.event?.StringValue === 'monitor-degraded')).toBe(true);
    const emitted = await everythingEmitted();
    expect(emitted['DynamoDB items']).toContain('Unauthorized: the request carried');
    const credentials = {
      'the client secret': CLIENT_SECRET,
      'the client credentials in base64': base64(`${CLIENT_ID}:${CLIENT_SECRET}`),
      ...Object.fromEntries(tokens.map((token, index) => [`bearer token ${index + 1}`, token])),
    };
    expect(leakedPieces(emitted, credentials)).toEqual([]);
    expectCredentialsOnlyWhereConfigured(simulator.baseUrl);
    // The client secret went to the token URL only, and the bearer tokens to the registry only.
    for (const request of spy.requests.filter((r) => r.authorization?.startsWith('Basic '))) expect(request.url).toBe(TOKEN_URL);
    for (const request of spy.requests.filter((r) => r.authorization?.startsWith('Bearer '))) expect(request.url.startsWith(simulator.baseUrl)).toBe(true);
  });
});
