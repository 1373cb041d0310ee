/**
 * The verdict on one exporter: what the registry said, seen through what the monitor knows of its
 * copying (replication.ts), decided by the alert rules (decide.ts), and what auto-resume owes it
 * (auto-resume.ts). A changed definition is recorded in history without a message.
 */
import { type ResumeDecision, planResume } from './auto-resume.js';
import { type DecisionContext, decide } from './decide.js';
import { definitionChangedEvent } from './events.js';
import type { Observed, SubjectRecord } from './model.js';
import type { AutoResumePolicy } from './policy.js';
import { type ReplicationFacts, trackReplication } from './replication.js';
import { activeSilence } from './silence.js';

export interface ExporterDecisionContext extends DecisionContext {
  readonly exporterName: string;
  /** The registry's auto-resume policy; undefined when it has not opted in. */
  readonly autoResume?: AutoResumePolicy;
}

export function decideExporter(
  previous: SubjectRecord | undefined,
  observed: Observed,
  facts: ReplicationFacts,
  context: ExporterDecisionContext,
): ResumeDecision {
  const tracked = trackReplication(previous?.replication, observed, facts, context.policy, context.now);
  const decision = decide(previous && withMemory(previous, tracked.memory), tracked.observed, context);
  const record = withMemory(decision.record, tracked.memory);
  const events =
    tracked.definitionChange === undefined
      ? decision.events
      : [...decision.events, definitionChangedEvent(record, tracked.definitionChange, context.now)];
  const decided = { record, events, changed: decision.changed || tracked.changed || events.length > decision.events.length };
  // Most registries never opt in: their runs look up no silence a second time.
  if (context.autoResume === undefined) return decided;
  const silenced = activeSilence(context.silences ?? [], context.registryId, context.exporterName, context.now) !== undefined;
  return planResume(decided, tracked.observed, context.autoResume, { now: context.now, silenced });
}

function withMemory(record: SubjectRecord, memory: SubjectRecord['replication']): SubjectRecord {
  const { replication: _previous, ...rest } = record;
  return memory === undefined ? rest : { ...rest, replication: memory };
}
