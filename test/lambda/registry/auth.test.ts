import { clientFor, failureOf, plentyOfTime, startSimulator, statusRequests } from './support.js';
import type { RegistryCredentials } from '../../../lambda/registry/registry-client.js';
import type { RegistrySimulator } from '../../../local/simulator.js';

const basicHeader = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('registry without authentication', () => {
  test('reads a status without sending any Authorization header', async () => {
    const simulator = await startSimulator();
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    const observation = await clientFor(simulator).getStatus('link', plentyOfTime);
    expect(observation).toMatchObject({ kind: 'status', status: { state: 'RUNNING' } });
    expect(statusRequests(simulator)[0]!.headers.authorization).toBeUndefined();
  });
});

describe('API key (HTTP Basic)', () => {
  const auth = { kind: 'basic', apiKey: 'KEY123', apiSecret: 'secret/with+chars:and-colon' } as const;

  test('sends the key and secret as HTTP Basic and reads the status', async () => {
    const simulator = await startSimulator({ auth });
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    const observation = await clientFor(simulator, { credentials: auth }).getStatus('link', plentyOfTime);
    expect(observation.kind).toBe('status');
    expect(statusRequests(simulator)[0]!.headers.authorization).toBe(basicHeader(auth.apiKey, auth.apiSecret));
  });

  test('a wrong secret is a credentials failure whose message holds neither the secret nor the header', async () => {
    const simulator = await startSimulator({ auth });
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    const wrong = { ...auth, apiSecret: 'not-the-right-secret' };
    const client = clientFor(simulator, { credentials: wrong });
    const failure = await failureOf(client.getStatus('link', plentyOfTime));
    expect(failure).toMatchObject({ kind: 'credentials', httpStatus: 401, errorCode: 401 });
    expect(JSON.stringify(failure)).not.toContain(wrong.apiSecret);
    expect(JSON.stringify(failure)).not.toContain(basicHeader(wrong.apiKey, wrong.apiSecret).slice(6));
    expect(client.requestCount).toBe(1);
  });
});

describe('OAuth client credentials', () => {
  const oauthServer = {
    kind: 'oauth',
    clientId: 'monitor-client',
    clientSecret: 'oauth-client-secret-value',
    logicalCluster: 'lsrc-abc123',
    identityPoolId: 'pool-Xy12',
  } as const;

  function credentialsFor(simulator: RegistrySimulator, overrides: Partial<RegistryCredentials> = {}): RegistryCredentials {
    return {
      kind: 'oauth',
      clientId: oauthServer.clientId,
      clientSecret: oauthServer.clientSecret,
      tokenUrl: simulator.tokenUrl,
      logicalCluster: oauthServer.logicalCluster,
      identityPoolId: oauthServer.identityPoolId,
      scope: 'schema-registry',
      ...overrides,
    } as RegistryCredentials;
  }

  async function oauthRegistry(tokenLifetimeSeconds = 3600) {
    const simulator = await startSimulator({ auth: { ...oauthServer, tokenLifetimeSeconds } });
    simulator.addExporters(3, 'link-');
    return simulator;
  }

  /** How a read with these client credentials fails. */
  async function failureWith(overrides: Partial<RegistryCredentials>) {
    const simulator = await oauthRegistry();
    const client = clientFor(simulator, { credentials: credentialsFor(simulator, overrides) });
    return { simulator, failure: await failureOf(client.getStatus('link-1', plentyOfTime)) };
  }

  test('three status reads cost one token request, and each read carries the token and cluster headers', async () => {
    const simulator = await oauthRegistry();
    const client = clientFor(simulator, { credentials: credentialsFor(simulator) });
    for (const name of ['link-1', 'link-2', 'link-3']) {
      expect((await client.getStatus(name, plentyOfTime)).kind).toBe('status');
    }
    expect(client.tokenRequestCount).toBe(1);
    expect(simulator.stats.tokenRequests).toBe(1);
    expect(client.requestCount).toBe(3);
    for (const request of statusRequests(simulator)) {
      expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
      expect(request.headers['target-sr-cluster']).toBe('lsrc-abc123');
      expect(request.headers['confluent-identity-pool-id']).toBe('pool-Xy12');
    }
  });

  test('the token request is a client_credentials form with the scope and the client as HTTP Basic', async () => {
    const simulator = await oauthRegistry();
    await clientFor(simulator, { credentials: credentialsFor(simulator) }).getStatus('link-1', plentyOfTime);
    const tokenRequest = simulator.recordedRequests.find((request) => request.kind === 'token')!;
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest.headers.authorization).toBe(basicHeader(oauthServer.clientId, oauthServer.clientSecret));
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'schema-registry',
    });
  });

  test('reads without an identity pool send no Confluent-Identity-Pool-Id header', async () => {
    const simulator = await startSimulator({ auth: { ...oauthServer, identityPoolId: undefined } });
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    const credentials = credentialsFor(simulator, { identityPoolId: undefined });
    await clientFor(simulator, { credentials }).getStatus('link', plentyOfTime);
    expect(statusRequests(simulator)[0]!.headers).not.toHaveProperty('confluent-identity-pool-id');
  });

  test('concurrent reads wait for one shared token request', async () => {
    const simulator = await oauthRegistry();
    const client = clientFor(simulator, { credentials: credentialsFor(simulator) });
    await Promise.all(['link-1', 'link-2', 'link-3'].map((name) => client.getStatus(name, plentyOfTime)));
    expect(simulator.stats.tokenRequests).toBe(1);
  });

  test('the token is renewed 60 s before it expires, not earlier', async () => {
    const simulator = await oauthRegistry(120);
    let now = 1_000_000;
    const client = clientFor(simulator, { credentials: credentialsFor(simulator), now: () => now });
    await client.getStatus('link-1', plentyOfTime);
    now += 59_000;
    await client.getStatus('link-2', plentyOfTime);
    expect(client.tokenRequestCount).toBe(1);
    now += 2_000;
    await client.getStatus('link-3', plentyOfTime);
    expect(client.tokenRequestCount).toBe(2);
    const [first, , third] = statusRequests(simulator).map((request) => request.headers.authorization);
    expect(third).not.toBe(first);
  });

  test('a token the registry stops accepting is replaced once and the read still succeeds', async () => {
    const simulator = await oauthRegistry();
    const client = clientFor(simulator, { credentials: credentialsFor(simulator) });
    await client.getStatus('link-1', plentyOfTime);
    simulator.revokeTokens();
    expect((await client.getStatus('link-2', plentyOfTime)).kind).toBe('status');
    expect(client.tokenRequestCount).toBe(2);
    expect(client.requestCount).toBe(3);
    expect(client.sleeps).toEqual([]);
  });

  test('a registry that refuses even a fresh token is a credentials failure after one renewal', async () => {
    const simulator = await oauthRegistry();
    simulator.injectFault({ path: '/exporters/link-1/status', status: 401, times: 5 });
    const client = clientFor(simulator, { credentials: credentialsFor(simulator) });
    const failure = await failureOf(client.getStatus('link-1', plentyOfTime));
    expect(failure.kind).toBe('credentials');
    expect(client.tokenRequestCount).toBe(2);
    expect(client.requestCount).toBe(2);
  });

  test('a refused client secret is a credentials failure and no registry request is sent', async () => {
    const { simulator, failure } = await failureWith({ clientSecret: 'wrong-client-secret' });
    expect(failure).toMatchObject({ kind: 'credentials', httpStatus: 401 });
    expect(failure.message).toContain('token endpoint');
    expect(failure.message).toContain('invalid_client');
    expect(JSON.stringify(failure)).not.toContain('wrong-client-secret');
    expect(simulator.stats.requests).toBe(0);
  });

  test('a token endpoint outage is retried like a registry outage', async () => {
    const simulator = await oauthRegistry();
    simulator.injectFault({ path: '/oauth/token', status: 503 });
    const client = clientFor(simulator, { credentials: credentialsFor(simulator) });
    expect((await client.getStatus('link-1', plentyOfTime)).kind).toBe('status');
    expect(client.tokenRequestCount).toBe(2);
    expect(client.requestCount).toBe(1);
  });

  test('a logical cluster the token is not valid for is a credentials failure naming target-sr-cluster', async () => {
    const { failure } = await failureWith({ logicalCluster: 'lsrc-other' });
    expect(failure.kind).toBe('credentials');
    expect(failure.message).toContain('target-sr-cluster');
  });
});
