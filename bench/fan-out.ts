/**
 * The fan-out configuration: many registries (10,000 exporters over 50 by default, 200 each), one
 * registry simulator each over real HTTP, and the real handler invoked once per registry per run
 * with its schedule's input ({ registryId }), as the construct's per-registry schedules invoke it.
 * Several Lambda workers take the invocations side by side, as Lambda runs them; each invocation's
 * run time, CPU and its worker's peak RSS are recorded, and every run must read every exporter.
 */
import { startEmbeddedDynamo } from '../local/dynamo-table.js';
import { SCHEDULED_REGISTRY_FIELD } from '../lambda/scheduled-run.js';
import type { InvocationResult, WorkerMessage } from './protocol.js';
import {
  type BenchConfig,
  closeRegistries,
  LAMBDA_NODE_ARGS,
  lambdaEnv,
  PROJECT_ROOT,
  type Registry,
  type RequestsSent,
  requestsSentTo,
  startRegistries,
  WORKER,
} from './scenario.js';
import { WorkerProcess } from './worker-process.js';

export interface FanOutConfig extends Omit<BenchConfig, 'samples' | 'note'> {
  /** Lambda workers taking the invocations side by side. */
  readonly workers: number;
  /** Runs of every registry. */
  readonly runs: number;
}

export interface FanOutInvocation {
  readonly registryId: string;
  readonly run: number;
  readonly durationMs: number;
  readonly cpuMs: number;
  /** Peak RSS of the worker that ran it, so far (a warm container keeps its memory between invocations). */
  readonly maxRssKiB: number;
  /** Status reads the registry received in this run, and its exporters. */
  readonly statusReads: number;
  readonly exporters: number;
  readonly error?: string;
}

export interface FanOutResult {
  readonly config: FanOutConfig;
  readonly invocations: readonly FanOutInvocation[];
  /** Wall time of each run of every registry, all workers together. */
  readonly roundMs: readonly number[];
  /**
   * Requests every registry received in each run, and how many went over its budget: counted once
   * the run is over, so a read of one registry made by another's invocation is in it too.
   */
  readonly sentByRun: readonly RequestsSent[];
}

export async function runFanOut(config: FanOutConfig, progress: (line: string) => void): Promise<FanOutResult> {
  const dynamo = await startEmbeddedDynamo();
  let registries: Registry[] = [];
  const workers: WorkerProcess<WorkerMessage>[] = [];
  try {
    registries = await startRegistries({ ...config, samples: 1 });
    const env = lambdaEnv(registries, dynamo.endpoint, { ...config, samples: 1 });
    for (let index = 0; index < config.workers; index += 1) {
      const { worker, first } = await WorkerProcess.start<WorkerMessage>({
        script: WORKER,
        execArgv: ['--import', 'tsx', ...LAMBDA_NODE_ARGS],
        env,
        cwd: PROJECT_ROOT,
        label: `fan-out-worker-${index + 1}`,
      });
      workers.push(worker);
      if (first.type !== 'ready') throw new Error(`a Lambda worker did not start: ${JSON.stringify(first)}\n${worker.logTail()}`);
    }
    const invocations: FanOutInvocation[] = [];
    const roundMs: number[] = [];
    const sentByRun: RequestsSent[] = [];
    for (let run = 1; run <= config.runs; run += 1) {
      for (const registry of registries) registry.simulator.resetStats();
      const began = performance.now();
      // Worker w takes registries w, w + workers, ...: each registry once a run, the workers side by side.
      await Promise.all(
        workers.map(async (worker, w) => {
          for (let index = w; index < registries.length; index += workers.length) {
            const registry = registries[index]!;
            const reply = await worker.request({ type: 'invoke', event: { [SCHEDULED_REGISTRY_FIELD]: registry.id } });
            if (reply.type !== 'invoked') throw new Error(`unexpected reply of a Lambda worker: ${JSON.stringify(reply)}\n${worker.logTail()}`);
            invocations.push(invocationOf(registry, run, reply));
          }
        }),
      );
      roundMs.push(performance.now() - began);
      const read = registries.reduce((total, registry) => total + registry.simulator.stats.byKind.status, 0);
      const sent = requestsSentTo(registries);
      sentByRun.push(sent);
      progress(`  run ${run}: ${registries.length} invocations in ${(roundMs.at(-1)! / 1000).toFixed(1)} s, ${read} status reads of ${config.exporters} exporters, ${sent.overBudget} over budget`);
    }
    return { config, invocations, roundMs, sentByRun };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await closeRegistries(registries);
    await dynamo.close();
  }
}

function invocationOf(registry: Registry, run: number, reply: InvocationResult): FanOutInvocation {
  return {
    registryId: registry.id,
    run,
    durationMs: reply.durationMs,
    cpuMs: reply.cpuMs,
    maxRssKiB: reply.maxRssKiB,
    statusReads: registry.simulator.stats.byKind.status,
    exporters: registry.names.length,
    ...(reply.error !== undefined && { error: reply.error }),
  };
}
