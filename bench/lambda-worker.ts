/**
 * The "Lambda sandbox" of the benchmark: a child process that imports the real handler and
 * invokes it when the parent asks, so its timings and memory are not mixed with the registry
 * simulators and dynalite (they run in the parent, reached over HTTP on 127.0.0.1).
 *
 * SNS and Secrets Manager are mocked with aws-sdk-client-mock, as in the handler's tests; DynamoDB
 * is real HTTP to dynalite, with ReturnConsumedCapacity added to every request so the benchmark
 * can price the request units.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lambdaContext } from '../local/lambda-context.js';
import {
  type CapacityUsed,
  type InvocationResult,
  MEMORY_ENV,
  type PhaseTiming,
  type ParentMessage,
  PROFILE_ENV,
  SECRETS_ENV,
  TIMEOUT_ENV,
  type WorkerMessage,
} from './protocol.js';

const SNS_BILLING_CHUNK_BYTES = 64 * 1024;

let dynamoRequests: Record<string, number> = {};
let capacity: CapacityUsed = { read: 0, write: 0, indexWrite: 0 };
let sns = { publishBatchCalls: 0, entries: 0, payloadBytes: 0, billedRequests: 0 };
let secretsManagerCalls = 0;
let invocationStart = 0;
let timeline: Record<string, PhaseTiming> = {};

/** Times one request of a kind on the invocation's time line. */
async function timed<T>(kind: string, request: () => Promise<T>): Promise<T> {
  const start = performance.now() - invocationStart;
  try {
    return await request();
  } finally {
    record(kind, start, performance.now() - invocationStart);
  }
}

function record(kind: string, start: number, end: number): void {
  const phase = timeline[kind];
  timeline[kind] = phase
    ? { count: phase.count + 1, firstStartMs: Math.min(phase.firstStartMs, start), lastEndMs: Math.max(phase.lastEndMs, end) }
    : { count: 1, firstStartMs: start, lastEndMs: end };
}

/**
 * The registry client sends with Node's http module (lambda/registry/transport.ts), as does the
 * AWS SDK: the requests that do not go to dynalite are the registry's. Timed through Node's
 * diagnostics channels, so the function runs unchanged.
 */
function instrumentRegistryRequests(): void {
  const dynamoHost = new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'http://unused').host;
  const started = new WeakMap<object, number>();
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: { getHeader(name: string): unknown } };
    if (String(request.getHeader('host')) !== dynamoHost) started.set(request, performance.now() - invocationStart);
  });
  subscribe('http.client.response.finish', (message) => {
    const { request } = message as { request: object };
    const start = started.get(request);
    if (start !== undefined) record('registry', start, performance.now() - invocationStart);
  });
}

interface ConsumedCapacity {
  readonly CapacityUnits?: number;
  readonly Table?: { readonly CapacityUnits?: number };
  readonly GlobalSecondaryIndexes?: Record<string, { readonly CapacityUnits?: number }>;
}

type Send = (this: DynamoDBClient, command: { input: Record<string, unknown> }, ...rest: unknown[]) => Promise<Record<string, unknown>>;

/** Counts every request of every DynamoDB client in this process and asks DynamoDB what it consumed. */
function instrumentDynamo(): void {
  const prototype = DynamoDBClient.prototype as unknown as { send: Send };
  const send = prototype.send;
  prototype.send = async function instrumented(command, ...rest) {
    const operation = command.constructor.name.replace(/Command$/, '');
    dynamoRequests[operation] = (dynamoRequests[operation] ?? 0) + 1;
    command.input.ReturnConsumedCapacity = 'INDEXES';
    const output = await timed(`dynamo:${operation}`, () => send.call(this, command, ...rest));
    const consumed = ([] as ConsumedCapacity[]).concat((output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined) ?? []);
    for (const entry of consumed) {
      const units = entry.Table?.CapacityUnits ?? entry.CapacityUnits ?? 0;
      const indexUnits = Object.values(entry.GlobalSecondaryIndexes ?? {}).reduce((sum, index) => sum + (index.CapacityUnits ?? 0), 0);
      if (operation === 'Query' || operation === 'GetItem' || operation === 'BatchGetItem') capacity.read += units + indexUnits;
      else {
        capacity.write += units;
        // A write of an item that carries the index's keys also writes the index (projection ALL: about
        // the same size). dynalite reports the table only; only history items (BatchWriteItem) carry them.
        capacity.indexWrite += indexUnits > 0 ? indexUnits : operation === 'BatchWriteItem' ? units * indexedShare(command.input) : 0;
      }
    }
    return output;
  };
}

/** Share of the items in a BatchWriteItem that carry the history-by-day index key. */
function indexedShare(input: Record<string, unknown>): number {
  const requests = Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: Record<string, unknown> } }[]>).flat();
  if (requests.length === 0) return 0;
  return requests.filter((request) => request.PutRequest?.Item?.gsi1pk !== undefined).length / requests.length;
}

function entryBytes(entry: PublishBatchRequestEntry): number {
  const attributes = Object.entries(entry.MessageAttributes ?? {}).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? ''),
    0,
  );
  return Buffer.byteLength(entry.Message ?? '') + Buffer.byteLength(entry.Subject ?? '') + attributes;
}

function mockAws(): void {
  const secrets = JSON.parse(process.env[SECRETS_ENV] ?? '{}') as Record<string, string>;
  const secretsManager = mockClient(SecretsManagerClient);
  for (const [secretId, value] of Object.entries(secrets)) {
    secretsManager.on(GetSecretValueCommand, { SecretId: secretId }).callsFake(() => {
      secretsManagerCalls += 1;
      return { SecretString: value };
    });
  }
  mockClient(SNSClient)
    .on(PublishBatchCommand)
    .callsFake((input: { PublishBatchRequestEntries: PublishBatchRequestEntry[] }) => {
      const at = performance.now() - invocationStart;
      const phase = timeline['sns:PublishBatch'];
      timeline['sns:PublishBatch'] = { count: (phase?.count ?? 0) + 1, firstStartMs: phase?.firstStartMs ?? at, lastEndMs: at };
      const entries = input.PublishBatchRequestEntries;
      const bytes = entries.reduce((sum, entry) => sum + entryBytes(entry), 0);
      sns.publishBatchCalls += 1;
      sns.entries += entries.length;
      sns.payloadBytes += bytes;
      sns.billedRequests += Math.max(1, Math.ceil(bytes / SNS_BILLING_CHUNK_BYTES));
      return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
    });
}

/**
 * With PROFILE_ENV set, a V8 CPU profile of the invocation alone (not the import, not the
 * bookkeeping between runs), written as `<label>.cpuprofile` for bench/top-costs.ts or DevTools.
 */
async function profileInvocation(label: string): Promise<() => Promise<void>> {
  const dir = process.env[PROFILE_ENV];
  if (!dir) return async () => {};
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

function send(message: WorkerMessage): void {
  process.send!(message);
}

async function main(): Promise<void> {
  const timeoutMs = Number(process.env[TIMEOUT_ENV] ?? 50_000);
  const memoryMb = Number(process.env[MEMORY_ENV] ?? 256);
  mockAws();
  instrumentDynamo();
  instrumentRegistryRequests();
  const started = performance.now();
  const { handler } = await import('../lambda/handler.js');
  send({ type: 'ready', importMs: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS });

  let invocation = 0;
  process.on('message', (message: ParentMessage) => {
    // Open keep-alive sockets would hold the process; a Lambda sandbox is frozen, not drained.
    if (message.type === 'exit') process.exit(0);
    const { label, event } = message;
    void (async () => {
      dynamoRequests = {};
      capacity = { read: 0, write: 0, indexWrite: 0 };
      sns = { publishBatchCalls: 0, entries: 0, payloadBytes: 0, billedRequests: 0 };
      secretsManagerCalls = 0;
      invocation += 1;
      const context = lambdaContext(timeoutMs, { memoryMb, requestId: `bench-${invocation}` });
      timeline = {};
      const stopProfiling = await profileInvocation(label ?? `invocation-${invocation}`);
      const cpuBefore = process.cpuUsage();
      const begin = performance.now();
      invocationStart = begin;
      let outcome: { result?: unknown; error?: string };
      try {
        outcome = { result: await handler(event ?? {}, context) };
      } catch (error) {
        outcome = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
      const durationMs = performance.now() - begin;
      const cpu = process.cpuUsage(cpuBefore);
      await stopProfiling();
      const result: InvocationResult = {
        type: 'invoked',
        durationMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        ...outcome,
        dynamoRequests,
        capacity,
        sns,
        secretsManagerCalls,
        maxRssKiB: process.resourceUsage().maxRSS,
        heapUsedBytes: process.memoryUsage().heapUsed,
        timeline,
      };
      send(result);
    })();
  });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
});
