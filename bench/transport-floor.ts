/**
 * Measures the transport floor (transport-floor-worker.ts): the CPU Node's own HTTP client spends
 * per status read at the monitor's pacing, against the same simulator over real HTTP, so the
 * monitor's CPU per exporter can be read against what no monitor written on Node could go below.
 */
import { join } from 'node:path';
import { basicCredentials } from '../lambda/registry/auth.js';
import { median } from './model.js';
import { FLOOR_ENV, type FloorMessage, type FloorParameters } from './protocol.js';
import { type BenchConfig, closeRegistries, LAMBDA_NODE_ARGS, PROJECT_ROOT, startRegistries } from './scenario.js';
import { WorkerProcess } from './worker-process.js';

const FLOOR_WORKER = join(PROJECT_ROOT, 'bench', 'transport-floor-worker.ts');

export interface TransportFloor {
  readonly requests: number;
  /** Answers other than 200 over the counted samples: 429s, if the pacing went over the simulator's budget. */
  readonly refused: number;
  /** CPU ms per request of each sample, and their median. */
  readonly cpuMsPerRequest: readonly number[];
  readonly medianCpuMsPerRequest: number;
}

/** `samples` reads of every exporter of one registry of `config.exporters`, in one warm process. */
export async function measureTransportFloor(config: BenchConfig, samples: number): Promise<TransportFloor> {
  const registries = await startRegistries({ ...config, registries: 1 });
  let worker: WorkerProcess<FloorMessage> | undefined;
  try {
    const [registry] = registries;
    const { apiKey, apiSecret } = JSON.parse(registry!.secretValue) as { apiKey: string; apiSecret: string };
    const parameters: FloorParameters = {
      baseUrl: registry!.simulator.baseUrl,
      authorization: `Basic ${basicCredentials(apiKey, apiSecret)}`,
      names: registry!.names,
      requestsPerSecond: config.requestsPerSecond,
      concurrency: config.concurrency,
    };
    const started = await WorkerProcess.start<FloorMessage>({
      script: FLOOR_WORKER,
      execArgv: ['--import', 'tsx', ...LAMBDA_NODE_ARGS],
      env: { PATH: process.env.PATH ?? '', [FLOOR_ENV]: JSON.stringify(parameters) },
      cwd: PROJECT_ROOT,
      label: `transport-floor-${config.exporters}`,
    });
    worker = started.worker;
    const perRequest: number[] = [];
    let refused = 0;
    // The first read opens the connections and warms the JIT, as the monitor's first run does: not counted.
    for (let sample = 0; sample <= samples; sample += 1) {
      const reply = await worker.request({ type: 'read' });
      if (reply.type !== 'read') throw new Error(`the transport floor's worker failed: ${JSON.stringify(reply)}\n${worker.logTail()}`);
      if (sample === 0) continue;
      // A 429 is still a request paid for; it is counted and shown, not hidden by a retry.
      refused += reply.refused;
      perRequest.push(reply.cpuMs / reply.requests);
    }
    return { requests: parameters.names.length, refused, cpuMsPerRequest: perRequest, medianCpuMsPerRequest: median(perRequest) };
  } finally {
    await worker?.stop();
    await closeRegistries(registries);
  }
}
