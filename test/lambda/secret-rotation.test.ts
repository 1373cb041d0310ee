/**
 * A key rotated abruptly (the old one revoked as the secret changes) while the function still
 * holds the old secret in its cache: the real handler, with Powertools Parameters reading a mocked
 * Secrets Manager, against the simulator. A refusal makes the function read the secret once more,
 * past the cache; new credentials are used at once, unchanged ones are reported as refused.
 */
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { RegistrySimulator } from '../../local/simulator.js';
import { attributeOf } from '../support/fake-sns.js';
import { HttpSpy } from '../support/http-spy.js';
import { freshFunction, type FreshFunction, type SecretAnswer, withEnvironment } from '../support/fresh-function.js';
import { functionEnvironment } from '../support/handler-harness.js';
import { type CapturedOutput, captureOutput } from '../support/output-capture.js';

const SECRET_ID = 'sr/rotating';
const OLD = { apiKey: 'OLDKEY0000000001', apiSecret: 'old-secret-value-0000000000000001' };
const NEW = { apiKey: 'NEWKEY0000000002', apiSecret: 'new-secret-value-0000000000000002' };
const OAUTH = { clientId: 'monitor-client', logicalCluster: 'lsrc-rot1' };
const OLD_CLIENT = { ...OAUTH, clientSecret: 'old-client-secret-000000000000001' };
const NEW_CLIENT = { ...OAUTH, clientSecret: 'new-client-secret-000000000000002' };
/** The configured token URL (https, as the configuration requires); the http spy sends it to the simulator. */
const TOKEN_URL = 'https://idp.example.test/oauth2/token';

let dynamo: EmbeddedDynamo;
let simulator: RegistrySimulator;
let output: CapturedOutput;
let restoreEnvironment: () => void;
let fn: FreshFunction;
let secrets: Map<string, SecretAnswer>;
let spy: HttpSpy;
let registryCount = 0;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
});
afterAll(async () => {
  await dynamo.close();
});

/** A registry with three exporters that accepts the old credentials, watched by a new container whose secret holds them. */
async function start(auth: 'basic' | 'oauth'): Promise<void> {
  registryCount += 1;
  simulator = await RegistrySimulator.start({ auth: auth === 'basic' ? { kind: 'basic', ...OLD } : { kind: 'oauth', ...OLD_CLIENT } });
  for (const name of ['orders', 'payments', 'invoices']) simulator.setExporter({ name, state: 'RUNNING' });
  const registryAuth =
    auth === 'basic' ? { kind: 'basic', secretId: SECRET_ID } : { kind: 'oauth', secretId: SECRET_ID, tokenUrl: TOKEN_URL, logicalCluster: OAUTH.logicalCluster };
  const registry = { id: `rotating-${registryCount}`, baseUrl: simulator.baseUrl, allowInsecureHttp: true, auth: registryAuth };
  restoreEnvironment = withEnvironment(functionEnvironment(dynamo.endpoint, JSON.stringify({ registries: [registry] })));
  secrets = new Map([[SECRET_ID, JSON.stringify(auth === 'basic' ? OLD : { clientId: OLD_CLIENT.clientId, clientSecret: OLD_CLIENT.clientSecret })]]);
  spy = new HttpSpy();
  spy.rewrites.set(TOKEN_URL, simulator.tokenUrl);
  await spy.install();
  output = captureOutput();
  fn = await freshFunction({ secrets });
}

afterEach(async () => {
  output.restore();
  await spy.restore();
  fn.restore();
  restoreEnvironment();
  await simulator.close();
});

interface RunFinished {
  readonly exportersChecked: number;
  readonly requests: number;
  readonly failures: readonly { kind: string }[];
}

/** One invocation: what it returned, what its "run finished" line says, what it cost. */
async function invoke() {
  const secretReadsBefore = fn.secretRequests.length;
  const requestsBefore = simulator.stats.requests;
  const linesBefore = output.jsonLines().length;
  const result = await fn.invoke();
  const finished = output.jsonLines().slice(linesBefore).find((line) => line.message === 'run finished');
  const run = (finished!.registries as RunFinished[])[0]!;
  return {
    result,
    run,
    secretReads: fn.secretRequests.length - secretReadsBefore,
    registryRequests: simulator.stats.requests - requestsBefore,
  };
}

const monitorEvents = () => fn.published.map((entry) => attributeOf(entry, 'event')).filter((event) => event?.startsWith('monitor-'));

describe('an abrupt rotation of the API key', () => {
  test('the refused cached secret is read again past the cache, once, and the run reads every exporter with the new key', async () => {
    await start('basic');
    const before = await invoke();
    expect(before).toMatchObject({ result: { failures: 0 }, secretReads: 1, run: { exportersChecked: 3 } });

    simulator.rotateCredentials({ kind: 'basic', ...NEW });
    secrets.set(SECRET_ID, JSON.stringify(NEW));
    const rotated = await invoke();
    // Three more runs inside the 5-minute cache: with the old secret each would be refused, and the second refusal alerts.
    const after = [await invoke(), await invoke(), await invoke()];

    expect(rotated).toMatchObject({ result: { failures: 0 }, run: { exportersChecked: 3, failures: [] } });
    // The refused list, then the list and the three statuses with the new key: the report counts them all.
    expect(rotated.registryRequests).toBe(5);
    expect(rotated.run.requests).toBe(rotated.registryRequests);
    expect(rotated.secretReads).toBe(1);
    // The fresh value went back into the cache: later runs read no secret.
    for (const run of after) expect(run).toMatchObject({ result: { failures: 0 }, secretReads: 0, registryRequests: 4, run: { exportersChecked: 3 } });
    expect(monitorEvents()).toEqual([]);
  });

  test('a refusal with an unchanged secret is one credentials failure per run, after one extra secret read, not a loop', async () => {
    await start('basic');
    await invoke();
    // Revoked, but nobody stored the new key in the secret.
    simulator.rotateCredentials({ kind: 'basic', ...NEW });
    const refused = [await invoke(), await invoke()];

    for (const run of refused) {
      expect(run).toMatchObject({ result: { failures: 1 }, secretReads: 1, registryRequests: 1, run: { requests: 1, exportersChecked: 0 } });
      expect(run.run.failures.map((failure) => failure.kind)).toEqual(['credentials']);
    }
    expect(monitorEvents()).toEqual(['monitor-degraded']);
  });
});

describe('an abrupt rotation of the OAuth client secret', () => {
  test("the token endpoint's refusal also has the secret read again, and the run reads every exporter", async () => {
    await start('oauth');
    await invoke();

    // The old client secret stops working and the registry stops trusting the tokens issued with it.
    simulator.rotateCredentials({ kind: 'oauth', ...NEW_CLIENT });
    simulator.revokeTokens();
    secrets.set(SECRET_ID, JSON.stringify({ clientId: NEW_CLIENT.clientId, clientSecret: NEW_CLIENT.clientSecret }));
    const tokenRequestsBefore = simulator.stats.tokenRequests;
    const rotated = await invoke();

    expect(rotated).toMatchObject({ result: { failures: 0 }, secretReads: 1, run: { exportersChecked: 3, failures: [] } });
    // The list refused with the revoked token, then the list and the three statuses with a token for the new secret.
    expect(rotated.registryRequests).toBe(5);
    expect(rotated.run.requests).toBe(5);
    // A renewal refused with the old secret, then one token for the new one.
    expect(simulator.stats.tokenRequests - tokenRequestsBefore).toBe(2);
    expect(monitorEvents()).toEqual([]);
  });
});
