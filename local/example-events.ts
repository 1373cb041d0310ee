/**
 * One realistic event of every type, for the generated message docs and the tests: both show
 * the same messages, so the documentation is what the tests check.
 */
import type { EventType, MonitorEvent } from '../lambda/core/model.js';
import { MISSING, REGISTRY_DEGRADED, REGISTRY_OK } from '../lambda/core/model.js';
import { summarizeTrace } from '../lambda/core/trace.js';

export const EXAMPLE_BASE_URL = 'https://psrc-00000.region.provider.confluent.cloud';
export const EXAMPLE_CONTEXT = { registryBaseUrl: EXAMPLE_BASE_URL } as const;
/** 2024-05-01T10:42:00Z: when every example event is decided. */
export const EXAMPLE_AT = Date.UTC(2024, 4, 1, 10, 42);

const MINUTE = 60_000;
const INCIDENT_OPENED = EXAMPLE_AT - 42 * MINUTE;

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

function failedWith(trace: string): Partial<MonitorEvent> {
  const { excerpt, rootCause, errorCode } = summarizeTrace(trace);
  return { state: 'PAUSED', severity: 'critical', trace: excerpt, rootCause, errorCode, offset: 1234, ts: 1701292093264 };
}

const openIncident: Partial<MonitorEvent> = {
  incidentId: 'inc-prod-orders-link-1714557600000',
  incidentOpenedAt: INCIDENT_OPENED,
};

const registryFailure: Partial<MonitorEvent> = {
  exporterName: undefined,
  severity: 'warning',
  previousState: REGISTRY_OK,
  state: REGISTRY_DEGRADED,
  failure: {
    kind: 'credentials',
    message: 'GET /exporters answered 401 Unauthorized',
    httpStatus: 401,
    errorCode: 401,
    requestId: 'f3b9c6a2-5d1e-4c7b-9a8e-2f6d0c1b7e45',
    path: '/exporters',
  },
  incidentId: 'inc-prod-registry-1714557600000',
  incidentOpenedAt: INCIDENT_OPENED,
};

const EXAMPLES: Readonly<Record<EventType, Partial<MonitorEvent>>> = {
  'state-changed': { ...failedWith(EXAMPLE_TRACE), ...openIncident, previousState: 'RUNNING', since: INCIDENT_OPENED },
  'first-seen-unhealthy': { ...failedWith(EXAMPLE_TRACE), ...openIncident, since: INCIDENT_OPENED },
  disappeared: { ...openIncident, severity: 'critical', previousState: 'RUNNING', state: MISSING, since: INCIDENT_OPENED },
  reappeared: { severity: 'info', previousState: MISSING, state: 'STARTING', offset: -1, ts: null, since: EXAMPLE_AT - 2 * MINUTE },
  'error-changed': { ...failedWith(INCOMPATIBLE_TRACE), ...openIncident, previousState: 'PAUSED', since: INCIDENT_OPENED },
  stuck: {
    ...openIncident,
    severity: 'warning',
    previousState: 'UNASSIGNED',
    state: 'STARTING',
    offset: -1,
    ts: null,
    since: EXAMPLE_AT - 35 * MINUTE,
  },
  reminder: {
    ...failedWith(EXAMPLE_TRACE),
    incidentId: 'inc-prod-orders-link-1714545720000',
    incidentOpenedAt: EXAMPLE_AT - 240 * MINUTE,
    since: EXAMPLE_AT - 240 * MINUTE,
  },
  recovered: {
    ...openIncident,
    severity: 'info',
    previousState: 'PAUSED',
    state: 'RUNNING',
    offset: 1301,
    ts: EXAMPLE_AT - MINUTE,
    since: EXAMPLE_AT - 2 * MINUTE,
    durationMs: 42 * MINUTE,
  },
  'monitor-degraded': { ...registryFailure, since: INCIDENT_OPENED },
  'monitor-reminder': { ...registryFailure, since: EXAMPLE_AT - 240 * MINUTE, incidentOpenedAt: EXAMPLE_AT - 240 * MINUTE },
  'monitor-recovered': {
    ...registryFailure,
    severity: 'info',
    previousState: REGISTRY_DEGRADED,
    state: REGISTRY_OK,
    failure: undefined,
    since: EXAMPLE_AT,
    durationMs: 42 * MINUTE,
  },
};

export const EVENT_TYPES = Object.keys(EXAMPLES) as EventType[];

/** A realistic event of `type` about exporter `orders-link` on registry `prod`, with `overrides` applied. */
export function exampleEvent(type: EventType, overrides: Partial<MonitorEvent> = {}): MonitorEvent {
  const event: MonitorEvent = {
    id: '',
    type,
    severity: 'critical',
    registryId: 'prod',
    exporterName: 'orders-link',
    at: EXAMPLE_AT,
    state: 'PAUSED',
    since: EXAMPLE_AT,
    notify: true,
    ...EXAMPLES[type],
    ...overrides,
  };
  return { ...event, id: overrides.id ?? `${event.registryId}:${event.exporterName ?? 'registry'}:${type}:${event.at}` };
}
