/**
 * The verdict on one exporter: what the registry said, seen through what the monitor knows of its
 * copying (replication.ts), decided by the alert rules (decide.ts). A changed definition is
 * recorded in history without a message.
 */
import { type Decision, type DecisionContext, decide } from './decide.js';
import { definitionChangedEvent } from './events.js';
import type { Observed, SubjectRecord } from './model.js';
import { type ReplicationFacts, trackReplication } from './replication.js';

export function decideExporter(
  previous: SubjectRecord | undefined,
  observed: Observed,
  facts: ReplicationFacts,
  context: DecisionContext & { readonly exporterName: string },
): Decision {
  const tracked = trackReplication(previous?.replication, observed, facts, context.policy, context.now);
  const decision = decide(previous && withMemory(previous, tracked.memory), tracked.observed, context);
  const record = withMemory(decision.record, tracked.memory);
  const events =
    tracked.definitionChange === undefined
      ? decision.events
      : [...decision.events, definitionChangedEvent(record, tracked.definitionChange, context.now)];
  return { record, events, changed: decision.changed || tracked.changed || events.length > decision.events.length };
}

function withMemory(record: SubjectRecord, memory: SubjectRecord['replication']): SubjectRecord {
  const { replication: _previous, ...rest } = record;
  return memory === undefined ? rest : { ...rest, replication: memory };
}
