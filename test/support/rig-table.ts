/**
 * The table the MonitorRig reliability tests share: one dynalite per test file (every rig uses its
 * own registry id), and every rig started through it closed after its test. Call `useRigTable()`
 * at the top level of a test file: it registers the beforeAll / afterEach / afterAll hooks.
 */
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { MonitorRig, type RigOptions } from './monitor-rig.js';

export interface RigTable {
  /** The file's dynalite; there once beforeAll has run (use it in hooks and tests, not at load). */
  readonly dynamo: EmbeddedDynamo;
  /** Starts a rig on the file's table; it is closed after the current test. */
  startRig(options?: Omit<RigOptions, 'client'>): Promise<MonitorRig>;
}

export function useRigTable(): RigTable {
  let dynamo: EmbeddedDynamo;
  const rigs: MonitorRig[] = [];

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
  });
  afterEach(async () => {
    await Promise.all(rigs.splice(0).map((rig) => rig.close()));
  });
  afterAll(() => dynamo.close());

  return {
    get dynamo() {
      return dynamo;
    },
    async startRig(options = {}) {
      const rig = await MonitorRig.start({ client: dynamo.client, ...options });
      rigs.push(rig);
      return rig;
    },
  };
}
