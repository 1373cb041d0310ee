import { countConditions } from '../../../lambda/core/exporter-conditions.js';
import type { SubjectRecord } from '../../../lambda/core/model.js';

const record = (state: string, exporterName?: string): SubjectRecord => ({ registryId: 'prod', exporterName, state, signature: '', since: 0 });

describe('countConditions', () => {
  test('counts stalled and drifted apart from the other unhealthy states, and the healthy or starting ones not at all', () => {
    const records = [
      record('RUNNING', 'a'),
      record('STARTING', 'b'),
      record('UNASSIGNED', 'c'),
      record('PAUSED', 'd'),
      record('MISSING', 'e'),
      record('SOME_FUTURE_STATE', 'f'),
      record('STALLED', 'g'),
      record('DRIFTED', 'h'),
      record('DRIFTED', 'i'),
    ];
    expect(countConditions(records)).toEqual({ unhealthy: 3, stalled: 1, drifted: 2 });
  });

  test('the record of the registry itself is not an exporter', () => {
    expect(countConditions([record('DEGRADED')])).toEqual({ unhealthy: 0, stalled: 0, drifted: 0 });
  });
});
