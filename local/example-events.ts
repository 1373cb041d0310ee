/**
 * One realistic event of every type, for the generated message docs and the tests: both show
 * the same messages, so the documentation is what the tests check.
 *
 * The events are not written by hand: each is what the core's `decide()` announces at the end of
 * a short scripted history, checked once a minute as the deployed schedule does, under the
 * default alert policy. So their ids, incident ids, times and severities are exactly the ones
 * people get, and they follow the core when it changes.
 */
import { type ResumeDecision, resumeOutcome } from '../lambda/core/auto-resume.js';
import { decide, registryBaseline } from '../lambda/core/decide.js';
import { decideExporter } from '../lambda/core/decide-exporter.js';
import {
  EVENT_TYPES,
  type EventType,
  type ExporterStatus,
  type MonitorEvent,
  type MonitorFailure,
  type Observed,
  type SubjectRecord,
} from '../lambda/core/model.js';
import { observeExporter, observeRegistry } from '../lambda/core/observe.js';
import { DEFAULT_AUTO_RESUME, DEFAULT_POLICY } from '../lambda/core/policy.js';
import type { ReplicationFacts } from '../lambda/core/replication.js';
import type { MessageContext } from '../lambda/notify/message-context.js';
import { traceOf } from './pause-traces.js';

export const EXAMPLE_BASE_URL = 'https://psrc-00000.region.provider.confluent.cloud';
export const EXAMPLE_CONTEXT: MessageContext = { registryBaseUrl: EXAMPLE_BASE_URL };
/** 2024-05-01T10:42:00Z: when every example event is decided. */
export const EXAMPLE_AT = Date.UTC(2024, 4, 1, 10, 42);
export const EXAMPLE_REGISTRY = 'prod';
export const EXAMPLE_EXPORTER = 'orders-link';

const MINUTE = 60_000;
/** When the incidents that end (or go on) in the examples began: 42 minutes before. */
const INCIDENT_OPENED = EXAMPLE_AT - 42 * MINUTE;
/** Long enough ago for a reminder under the default policy: the first failure, then its alert a check later. */
const REMINDER_OPENED = EXAMPLE_AT - DEFAULT_POLICY.reminderIntervalMs - MINUTE;

/** The shape of a real failure (first line as seen in the wild), cut to a few frames. */
export const EXAMPLE_TRACE = [
  'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject :.source.target:stock_trades-value is not in import mode; error code: 42205',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.sendHttpRequest(RestService.java:336)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.httpRequest(RestService.java:409)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.registerSchema(RestService.java:590)',
  '\tat io.confluent.schema.exporter.SchemaExporterTask.export(SchemaExporterTask.java:219)',
].join('\n');

const INCOMPATIBLE_TRACE = [
  'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Schema being registered is incompatible with an earlier schema for subject ":.source.target:stock_trades-value"; error code: 409',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.sendHttpRequest(RestService.java:336)',
].join('\n');

// ---------------------------------------------------------------------------------------------
// What the registry answers, as the monitor observes it

const status = (state: string, details: Partial<ExporterStatus> = {}): Observed =>
  observeExporter({ kind: 'status', status: { name: EXAMPLE_EXPORTER, state, offset: -1, ts: null, trace: null, ...details } });

const RUNNING = status('RUNNING', { offset: 1301, ts: EXAMPLE_AT - MINUTE });
const STARTING = status('STARTING');
const PAUSED = status('PAUSED', { offset: 1234, ts: 1701292093264, trace: EXAMPLE_TRACE });
const PAUSED_INCOMPATIBLE = status('PAUSED', { offset: 1234, ts: 1701292093264, trace: INCOMPATIBLE_TRACE });
/** Paused because the destination stopped answering: a cause auto-resume may fix. */
const PAUSED_UNREACHABLE = status('PAUSED', { offset: 1234, ts: 1701292093264, trace: traceOf('destination-unreachable') });
const MISSING_EXPORTER = observeExporter({ kind: 'missing' });

const REGISTRY_FAILURE: MonitorFailure = {
  kind: 'credentials',
  message: 'GET /exporters answered 401 Unauthorized',
  httpStatus: 401,
  errorCode: 401,
  requestId: 'f3b9c6a2-5d1e-4c7b-9a8e-2f6d0c1b7e45',
  path: '/exporters',
};
const REGISTRY_READABLE = observeRegistry([]);
const REGISTRY_UNREADABLE = observeRegistry([REGISTRY_FAILURE]);

// ---------------------------------------------------------------------------------------------
// The histories

/**
 * From `from` on, every check observes `observed`, until the next phase; the last phase lasts
 * until EXAMPLE_AT. `facts` are what the phase's first check learned beyond the status.
 */
type Phase = readonly [from: number, observed: Observed, facts?: ReplicationFacts];

/** The source listed every five minutes: `fingerprint` at `at`, after a listing at `at - 5 min`. */
const sourceListed = (fingerprint: string, at: number): ReplicationFacts => ({
  sourceFingerprint: fingerprint,
  previousSourceCheckAt: at - DEFAULT_POLICY.sourceCheckIntervalMs,
});

/** A destination compared once: one subject never copied, one version behind. */
const DESTINATION_BEHIND: ReplicationFacts = {
  drift: {
    destination: 'dr',
    report: {
      missingSubjects: ['payments-value'],
      missingVersions: [{ subject: 'orders-value', source: 7, destination: 6 }],
      idMismatches: [],
      compared: 12,
    },
  },
};

interface Script {
  /** The registry itself (monitor-* events) rather than the exporter. */
  readonly registry?: true;
  /** The registry opted in to auto-resume (default settings); every resume is accepted, and the exporter pauses again. */
  readonly autoResume?: true;
  readonly phases: readonly Phase[];
}

const exporter = (...phases: Phase[]): Script => ({ phases });
const resumable = (...phases: Phase[]): Script => ({ autoResume: true, phases });
const registry = (...phases: Phase[]): Script => ({ registry: true, phases });

/** Every event the core announces; `forgotten` comes from the CLI, and a changed definition is only recorded. */
export type ExampleType = Exclude<EventType, 'forgotten' | 'definition-changed'>;

/** The types with an example, in the core's order. */
export const EXAMPLE_TYPES = EVENT_TYPES.filter((type): type is ExampleType => type !== 'forgotten' && type !== 'definition-changed');

/** Checked once a minute; each history ends with the check at EXAMPLE_AT that decides the example. */
const SCRIPTS: Readonly<Record<ExampleType, Script>> = {
  // PAUSED on one check, confirmed by the next (two checks under the default policy).
  'state-changed': exporter([EXAMPLE_AT - 60 * MINUTE, RUNNING], [EXAMPLE_AT - MINUTE, PAUSED]),
  // Nothing to confirm: it was PAUSED before the monitor first looked.
  'first-seen-unhealthy': exporter([EXAMPLE_AT, PAUSED]),
  disappeared: exporter([EXAMPLE_AT - 60 * MINUTE, RUNNING], [EXAMPLE_AT - MINUTE, MISSING_EXPORTER]),
  reappeared: exporter(
    [EXAMPLE_AT - 120 * MINUTE, RUNNING],
    [INCIDENT_OPENED, MISSING_EXPORTER],
    [EXAMPLE_AT - MINUTE, STARTING],
  ),
  'error-changed': exporter(
    [EXAMPLE_AT - 120 * MINUTE, RUNNING],
    [INCIDENT_OPENED, PAUSED],
    [EXAMPLE_AT - MINUTE, PAUSED_INCOMPATIBLE],
  ),
  // Restarted, and STARTING ever since: "stuck" once the policy's dwell limit has passed.
  stuck: exporter([EXAMPLE_AT - 60 * MINUTE, RUNNING], [EXAMPLE_AT - DEFAULT_POLICY.stuckAfterMs, STARTING]),
  // The offset has stood still for an hour; new schemas at the source 16 minutes ago were never copied.
  stalled: exporter(
    [EXAMPLE_AT - 60 * MINUTE, RUNNING, sourceListed('a', EXAMPLE_AT - 60 * MINUTE)],
    [EXAMPLE_AT - 16 * MINUTE, RUNNING, sourceListed('b', EXAMPLE_AT - 16 * MINUTE)],
  ),
  // The differences found 16 minutes ago are found again a minute ago, past the 15-minute grace time.
  drifted: exporter(
    [EXAMPLE_AT - 60 * MINUTE, RUNNING],
    [EXAMPLE_AT - 16 * MINUTE, RUNNING, DESTINATION_BEHIND],
    [EXAMPLE_AT - MINUTE, RUNNING, DESTINATION_BEHIND],
  ),
  // Paused a minute ago, confirmed now: the first attempt follows at once.
  'auto-resumed': resumable([EXAMPLE_AT - 60 * MINUTE, RUNNING], [EXAMPLE_AT - MINUTE, PAUSED_UNREACHABLE]),
  // Attempts 20, 18 and 12 minutes ago (back-off 2 then 6 minutes) did not hold; 12 minutes after the third, it gives up.
  'auto-resume-gave-up': resumable([EXAMPLE_AT - 60 * MINUTE, RUNNING], [EXAMPLE_AT - 21 * MINUTE, PAUSED_UNREACHABLE]),
  reminder: exporter([REMINDER_OPENED - 60 * MINUTE, RUNNING], [REMINDER_OPENED, PAUSED]),
  recovered: exporter([EXAMPLE_AT - 120 * MINUTE, RUNNING], [INCIDENT_OPENED, PAUSED], [EXAMPLE_AT, RUNNING]),
  'monitor-degraded': registry([EXAMPLE_AT - 60 * MINUTE, REGISTRY_READABLE], [EXAMPLE_AT - MINUTE, REGISTRY_UNREADABLE]),
  'monitor-reminder': registry([REMINDER_OPENED - 60 * MINUTE, REGISTRY_READABLE], [REMINDER_OPENED, REGISTRY_UNREADABLE]),
  'monitor-recovered': registry(
    [EXAMPLE_AT - 120 * MINUTE, REGISTRY_READABLE],
    [INCIDENT_OPENED, REGISTRY_UNREADABLE],
    [EXAMPLE_AT, REGISTRY_READABLE],
  ),
};

/** Runs the script through the core, one check a minute, and returns what it announces at EXAMPLE_AT. */
function play(type: EventType, script: Script): MonitorEvent {
  const context = { registryId: EXAMPLE_REGISTRY, policy: DEFAULT_POLICY, ...(script.registry ? {} : { exporterName: EXAMPLE_EXPORTER }) };
  const start = script.phases[0]?.[0] ?? EXAMPLE_AT;
  // The monitor assumes a registry readable until it learns otherwise; an exporter starts unknown.
  let record: SubjectRecord | undefined = script.registry ? registryBaseline(EXAMPLE_REGISTRY, start) : undefined;
  let announced: readonly MonitorEvent[] = [];
  script.phases.forEach(([from, observed, facts = {}], index) => {
    const until = script.phases[index + 1]?.[0] ?? EXAMPLE_AT + MINUTE;
    for (let now = from; now < until; now += MINUTE) {
      const learned = now === from ? facts : {};
      const decision: ResumeDecision = script.registry
        ? decide(record, observed, { ...context, now })
        : decideExporter(record, observed, learned, { ...context, exporterName: EXAMPLE_EXPORTER, now, ...(script.autoResume && { autoResume: DEFAULT_AUTO_RESUME }) });
      record = decision.record;
      announced = decision.events;
      if (decision.attempt !== undefined) {
        const outcome = resumeOutcome(decision.record, decision.attempt, { kind: 'resumed' }, now);
        record = outcome.record;
        announced = [...announced, outcome.event];
      }
    }
  });
  const event = announced.find((candidate) => candidate.type === type && candidate.at === EXAMPLE_AT);
  if (event === undefined || !event.notify) {
    throw new Error(`the core no longer announces a ${type} event at the end of its example history; it decided ${JSON.stringify(announced)}`);
  }
  return event;
}

const EXAMPLES = Object.fromEntries(EXAMPLE_TYPES.map((type) => [type, play(type, SCRIPTS[type])])) as Readonly<Record<ExampleType, MonitorEvent>>;

/**
 * The event of `type` the core announces about exporter `orders-link` (or, for monitor-* events,
 * about registry `prod` itself), with `overrides` applied. Overrides are applied as they are: the
 * id stays the core's unless `id` is overridden too.
 */
export function exampleEvent(type: ExampleType, overrides: Partial<MonitorEvent> = {}): MonitorEvent {
  return { ...EXAMPLES[type], ...overrides };
}
