/**
 * One invocation per registry: each schedule's input names its registry (lib/exporter-monitor.ts), and the
 * real handler reads that registry alone, so a slow or failing registry never delays another. Runs of one
 * registry that overlap still announce a change once.
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { RegistrySimulator, SAMPLE_TRACE } from '../../local/simulator.js';
import { SCHEDULED_REGISTRY_FIELD } from '../../lambda/scheduled-run.js';
import { functionEnvironment } from '../support/handler-harness.js';

let east: RegistrySimulator;
let west: RegistrySimulator;
let dynamo: EmbeddedDynamo;
let handler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
const published: PublishBatchRequestEntry[] = [];

beforeAll(async () => {
  east = await RegistrySimulator.start();
  west = await RegistrySimulator.start();
  dynamo = await startEmbeddedDynamo();
  east.addExporters(3, 'east-link-', { state: 'RUNNING', offset: 10 });
  west.addExporters(2, 'west-link-', { state: 'RUNNING', offset: 10 });
  const registry = (id: string, simulator: RegistrySimulator) => ({ id, baseUrl: simulator.baseUrl, allowInsecureHttp: true, policy: { unhealthyChecks: 1 } });
  Object.assign(process.env, {
    ...functionEnvironment(dynamo.endpoint, JSON.stringify({ registries: [registry('east', east), registry('west', west)] })),
    POWERTOOLS_SERVICE_NAME: 'schema-exporter-monitor',
  });
  mockClient(SNSClient)
    .on(PublishBatchCommand)
    .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
      published.push(...input.PublishBatchRequestEntries);
      return { Successful: input.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
    });
  ({ handler } = (await import('../../lambda/handler.js')) as unknown as { handler: typeof handler });
});
afterAll(async () => {
  await east.close();
  await west.close();
  await dynamo.close();
});

const run = (registryId?: string) => handler(registryId === undefined ? {} : { [SCHEDULED_REGISTRY_FIELD]: registryId }, lambdaContext());

it("an invocation that names a registry reads that registry alone", async () => {
  east.resetStats();
  west.resetStats();
  await run('east');
  const eastRequests = east.stats.requests;
  expect(eastRequests).toBeGreaterThanOrEqual(4);
  expect(west.stats.requests).toBe(0);
  await run('west');
  expect(west.stats.requests).toBeGreaterThanOrEqual(3);
  expect(east.stats.requests).toBe(eastRequests);
});

it('an invocation that names none reads every registry (a run by hand, npm start)', async () => {
  east.resetStats();
  west.resetStats();
  await run();
  // The list and every status: 1 + 3 and 1 + 2.
  expect([east.stats.byKind.list + east.stats.byKind.status, west.stats.byKind.list + west.stats.byKind.status]).toEqual([4, 3]);
});

it('overlapping runs of one registry announce a pause once', async () => {
  east.setExporter({ name: 'east-link-1', state: 'PAUSED', offset: 11, trace: SAMPLE_TRACE });
  published.length = 0;
  await Promise.all([run('east'), run('east'), run('east')]);
  await run('east');
  expect(published.map((entry) => entry.Subject)).toEqual(['[east] east-link-1 RUNNING -> PAUSED']);
});

it('an invocation naming a registry the configuration lacks fails, naming it and the ones there are', async () => {
  await expect(run('north')).rejects.toThrow('the schedule names registry "north", which the configuration does not have (east, west)');
  await expect(run('')).rejects.toThrow(`the invocation's ${SCHEDULED_REGISTRY_FIELD} must be a registry id, got ""`);
});
