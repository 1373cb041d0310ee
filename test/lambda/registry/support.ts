/** Shared set-up for the registry client tests: a real simulator per test and a fast client. */
import type { RegistryConfig } from '../../../lambda/config.js';
import type { MonitorFailure } from '../../../lambda/core/model.js';
import { DEFAULT_POLICY } from '../../../lambda/core/policy.js';
import type { Deadline } from '../../../lambda/deadline.js';
import { RegistryClient, type RegistryClientOptions, RegistryReadError } from '../../../lambda/registry/registry-client.js';
import { RegistrySimulator, type SimulatorOptions } from '../../../local/simulator.js';

export const plentyOfTime: Deadline = { timeLeftMs: () => 60_000 };

const started: RegistrySimulator[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((simulator) => simulator.close()));
});

/** Starts a simulator that is closed after the current test. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RegistrySimulator> {
  const simulator = await RegistrySimulator.start(options);
  started.push(simulator);
  return simulator;
}

/** A registry's configuration: every exporter, no auth, a budget no test reaches. */
export function configFor(baseUrl: string, overrides: Partial<RegistryConfig> = {}): RegistryConfig {
  return {
    id: 'prod',
    baseUrl,
    auth: { kind: 'none' },
    exporters: 'all',
    destinations: {},
    include: [],
    exclude: [],
    requestsPerSecond: 1000,
    concurrency: 4,
    requestTimeoutMs: 2000,
    allowInsecureHttp: true,
    policy: DEFAULT_POLICY,
    ...overrides,
  };
}

/** A client with instant retries whose waits are recorded in `sleeps`. */
export function clientFor(
  simulator: RegistrySimulator,
  overrides: Partial<RegistryClientOptions> = {},
): RegistryClient & { readonly sleeps: number[] } {
  const sleeps: number[] = [];
  const client = new RegistryClient({
    baseUrl: simulator.baseUrl,
    credentials: { kind: 'none' },
    requestsPerSecond: 1000,
    concurrency: 8,
    requestTimeoutMs: 2000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return Object.assign(client, { sleeps });
}

/** The classified failure a read ended with. */
export async function failureOf(read: Promise<unknown>): Promise<MonitorFailure> {
  try {
    await read;
  } catch (error) {
    if (error instanceof RegistryReadError) return error.failure;
    throw error;
  }
  throw new Error('expected the read to fail');
}

/** Registry requests the simulator received for one exporter's status. */
export function statusRequests(simulator: RegistrySimulator, name?: string) {
  return simulator.recordedRequests.filter((request) => request.kind === 'status' && (name === undefined || request.exporterName === name));
}
