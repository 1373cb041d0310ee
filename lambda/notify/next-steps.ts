/**
 * What people should do about an event: advice for the failure or the exporter's state, with the
 * commands to paste. Adding a kind of event takes one entry in NEXT_STEPS.
 */
import { type EventType, MISSING, type MonitorEvent, type MonitorFailureKind } from '../core/model.js';
import type { PauseCause } from '../core/pause-cause.js';
import { definitionCommands, destinationCommands, exporterCommands, historyCommands, listCommands, sourceSchemaCommands } from './commands.js';
import type { MessageContext } from './message-context.js';
import { NAME_MAX } from './untrusted-text.js';
import { isoTime } from './wording.js';

export interface Step {
  readonly text: string;
  /** Shell commands, safe to paste as they are: the name is quoted and the URL path-encoded. */
  readonly commands: readonly string[];
}

const FAILURE_ADVICE: Readonly<Record<MonitorFailureKind, string>> = {
  credentials:
    'The registry refused the credentials (HTTP 401 or 403, or the OAuth token endpoint refused them). Check the secret in Secrets Manager: the API key must belong to this Schema Registry cluster, still exist, and be allowed to read exporters.',
  'not-found':
    'The registry answered 404 without error code 40450, so the URL does not reach the exporter API: the base URL is wrong (it must be the Schema Registry endpoint), or the registry does not have the exporter API (Schema Linking) enabled.',
  'rate-limited':
    'The registry kept answering 429 after retries. The monitor shares the read budget of the cluster (75 requests per second on Confluent Cloud) with production clients: lower requestsPerSecond or concurrency for this registry, or watch fewer exporters.',
  'server-error':
    'The registry kept answering with server errors (5xx) after retries. It may be having an outage: check the Confluent status page or the registry logs, and quote the request id to support.',
  timeout:
    'Requests to the registry timed out. The registry is slow or unreachable from the monitor: check the network path (VPC, NAT, PrivateLink) or raise requestTimeoutMs.',
  network:
    'The monitor could not connect to the registry (DNS, TLS or connection refused). Check the base URL and the network access of the function (VPC, NAT, PrivateLink, firewall).',
  'invalid-response':
    'The registry answered with something that is not the exporter API (a login page, a proxy page, a cut-off body). Check that the base URL points at Schema Registry itself.',
  redirect:
    'The registry answered with a redirect. The monitor never follows one, so the credentials stay with the configured host: put the final URL in the configuration as baseUrl.',
  'client-error': 'The registry refused the request (HTTP 4xx). The details below say why; check the monitor configuration for this registry.',
  configuration:
    'The monitor configuration is incomplete: a secret is missing, lacks the expected fields ({"apiKey", "apiSecret"}, or {"clientId", "clientSecret"} for OAuth), or a setting is invalid.',
};

/** On a laptop (`npm start`), the network between the monitor and the registry is the laptop's own. */
const LAPTOP_FAILURE_ADVICE: Readonly<Partial<Record<MonitorFailureKind, string>>> = {
  timeout:
    'Requests to the registry timed out from this machine. Check that the URL is the Schema Registry endpoint and that this machine reaches it (VPN, corporate proxy, firewall): try the curl command below.',
  network:
    'This machine could not connect to the registry (DNS, TLS or connection refused). Check the URL for typos, and that this machine reaches it (VPN, corporate proxy, firewall): try the curl command below.',
};

/** What each cause of a pause asks people to do before (or instead of) resuming; docs/pause-causes.md has the same table. */
const PAUSE_CAUSE_ADVICE: Readonly<Record<PauseCause, string>> = {
  'import-mode':
    'Error code 42205: the destination subject is not in IMPORT mode. Schema Linking writes to the destination only in IMPORT mode: set the destination subject or context to IMPORT before resuming.',
  'id-conflict':
    'The destination already holds a different schema under this id or version (error code 42207, or 42205 "Overwrite new schema with id ... is not permitted"). Compare the subject named in the trace in both registries and remove the conflicting version at the destination, or export into a context of its own, before resuming: a resume alone fails the same way.',
  'schema-too-large':
    'Error code 42209: the destination refuses a schema this large. Shrink the schema or leave its subject out of the exporter (its subjects setting), then resume.',
  'destination-auth':
    'The destination refused the exporter\'s own credentials (HTTP 401 or 403, error code 40301). The key is in the exporter\'s config (basic.auth.user.info): check that it still exists, belongs to the destination cluster and may write subjects, update it with PUT /exporters/{name}/config, then resume.',
  'rate-limited':
    'The destination rate-limited the exporter (HTTP 429). A resume a little later usually works; if it recurs, other clients spend the destination\'s budget.',
  'destination-unreachable':
    'The exporter could not reach the destination (connection refused, unknown host, timeout, or a 5xx answer). Once the destination answers again (its status page, the network path from the source cluster), a resume is all it takes.',
  'no-error':
    'Nothing failed: a person or a tool paused it on purpose (the Terraform provider pauses exporters to update them). Ask before resuming.',
  unknown: 'The monitor does not recognise this error: read the trace below. Resume once its cause is understood.',
};

type StepsFor = (event: MonitorEvent, context: MessageContext) => Step[];

/** The monitor cannot read the registry: what its failure means, and the same request to send by hand. */
const registryFailureSteps: StepsFor = (event, context) => {
  const kind = event.failure?.kind;
  const advice =
    (kind && context.runsOn === 'laptop' ? LAPTOP_FAILURE_ADVICE[kind] : undefined) ??
    (kind && FAILURE_ADVICE[kind]) ??
    'The monitor cannot read the registry.';
  return [
    { text: advice, commands: [] },
    { text: 'Send the same request by hand with the same credentials:', commands: listCommands(context) },
  ];
};

/**
 * A reminder points back: the incident's first message has the advice and the commands, the
 * monitor's history has that message and everything since.
 */
const reminderSteps: StepsFor = (event, context) => {
  const since = event.incidentOpenedAt ?? event.since;
  return [
    {
      text: 'The first message of this incident has the full details and what to do. What happened since it opened:',
      commands: historyCommands(event.registryId, event.exporterName, isoTime(since), context),
    },
  ];
};

const registryRecoveredSteps: StepsFor = () => [{ text: 'Nothing to do: the monitor can read the registry again.', commands: [] }];

/** Whatever the kind of exporter event, what to do depends on the state the exporter is in now. */
const exporterStateSteps: StepsFor = (event, context) => {
  const name = event.exporterName ?? '';
  if (event.state === 'RUNNING') return [{ text: 'Nothing to do: the exporter is RUNNING.', commands: [] }];
  if (event.state === MISSING) {
    return [
      {
        text: 'If nobody meant to delete it, find out who did (audit log) and create it again; if it was deleted on purpose, remove it from the monitor configuration if it is listed there and run `exporter-monitor forget` for it, which ends the reminders. The exporters that exist:',
        commands: listCommands(context),
      },
    ];
  }
  const quotable = name.length <= NAME_MAX;
  const commands = (action: 'status' | 'resume') => (quotable ? exporterCommands(name, context, action) : []);
  const steps: Step[] = [
    ...(quotable ? [] : [{ text: `The exporter name is ${name.length} characters long, too long to repeat here; find it in the list:`, commands: listCommands(context) }]),
    { text: 'Read its status and error:', commands: commands('status') },
  ];
  const advice = event.pauseCause === undefined ? undefined : PAUSE_CAUSE_ADVICE[event.pauseCause];
  if (event.state === 'PAUSED') {
    return [...steps, ...(advice ? [{ text: advice, commands: [] }] : []), { text: 'When the cause is fixed, resume it:', commands: commands('resume') }];
  }
  if (event.state === 'STARTING' || event.state === 'UNASSIGNED') {
    return [
      ...steps,
      {
        text: 'A first export can take long (about 40 minutes for 4,000 schemas in one report). If the offset does not move between checks, open a case with Confluent support, quoting the registry and the exporter.',
        commands: [],
      },
    ];
  }
  return steps;
};

/** An exporter the registry calls RUNNING that copies nothing: show it, then the least drastic way to restart it. */
const stalledSteps: StepsFor = (event, context) => {
  const name = event.exporterName ?? '';
  if (name.length > NAME_MAX) return exporterStateSteps(event, context);
  return [
    {
      text: 'Read its status twice, a minute apart: an offset that stays put while the source has new schemas means the exporter is not copying. The latest schemas at the source:',
      commands: [...exporterCommands(name, context, 'status'), ...sourceSchemaCommands(context)],
    },
    {
      text: 'Pause and resume it to restart its task (never `reset`: it exports everything again). If the offset still does not move, open a case with Confluent support, quoting the registry and the exporter.',
      commands: exporterCommands(name, context, 'resume'),
    },
  ];
};

/** Schemas missing at the destination: what the exporter is meant to copy, and what the destination holds. */
const driftedSteps: StepsFor = (event, context) => {
  const name = event.exporterName ?? '';
  return [
    {
      text: 'Check what the exporter copies and where it puts it (subjects, context type, context, rename format): a rename format or context that does not match is the usual cause.',
      commands: name.length > NAME_MAX ? listCommands(context) : definitionCommands(name, context),
    },
    {
      text: 'List the destination\'s subjects in every context, and check the mode of a missing subject there: Schema Linking writes only to subjects in IMPORT mode (error code 42205). An id already taken at the destination stops one subject (error code 42207).',
      commands: destinationCommands(),
    },
    { text: 'Run the same comparison from a laptop: `exporter-monitor check --verify`.', commands: [] },
  ];
};

/** After an attempt that took, watch; after one that did not (or a dry run, or giving up), what a person does. */
const autoResumeSteps: StepsFor = (event, context) => {
  const outcome = event.autoResume?.outcome;
  if (outcome === 'resumed' || outcome === 'already-running') {
    return [{ text: 'Nothing to do yet: the next checks show whether it stays RUNNING; if it pauses again, the monitor tries again after the back-off, up to its limit.', commands: [] }];
  }
  const refused = outcome === 'failed' && /\b(?:401|403)\b/.test(event.autoResume?.reason ?? '')
    ? [{ text: 'The registry refused the resume: the key the monitor resumes with (autoResume.auth, else the read key) must be allowed to manage exporters.', commands: [] }]
    : [];
  return [...refused, ...exporterStateSteps(event, context)];
};

const definitionSteps: StepsFor = (event, context) => {
  const name = event.exporterName ?? '';
  return [{ text: 'Nothing to do if the change was meant. Its definition now:', commands: name.length > NAME_MAX ? [] : definitionCommands(name, context) }];
};

/** The next steps for each kind of event: TypeScript asks for an entry when a kind is added. */
const NEXT_STEPS: Readonly<Record<EventType, StepsFor>> = {
  'state-changed': exporterStateSteps,
  'first-seen-unhealthy': exporterStateSteps,
  disappeared: exporterStateSteps,
  reappeared: exporterStateSteps,
  'error-changed': exporterStateSteps,
  stuck: exporterStateSteps,
  stalled: stalledSteps,
  drifted: driftedSteps,
  'definition-changed': definitionSteps,
  'auto-resumed': autoResumeSteps,
  'auto-resume-gave-up': autoResumeSteps,
  reminder: reminderSteps,
  recovered: exporterStateSteps,
  'monitor-degraded': registryFailureSteps,
  'monitor-reminder': reminderSteps,
  'monitor-recovered': registryRecoveredSteps,
  forgotten: exporterStateSteps,
};

export function nextSteps(event: MonitorEvent, context: MessageContext): Step[] {
  return NEXT_STEPS[event.type](event, context);
}
