/**
 * 600 events with ~2 KB traces (about 1.5 MB of history), placed so that one exporter's
 * partition and one day of the index each hold more than DynamoDB's 1 MB page.
 */
import type { MonitorEvent } from '../../../lambda/core/model.js';
import { event, HOUR } from './harness.js';

export const FIRST_DAY = Date.UTC(2026, 10, 19);
export const HISTORY_NOW = Date.UTC(2026, 10, 23);
const MINUTE = 60_000;
const TRACE = `io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject is not in import mode; error code: 42205\n${'\tat io.confluent.schema.exporter.SchemaExporterWorker.exportSubject(SchemaExporterWorker.java:365)\n'.repeat(20)}`.slice(0, 2000);

/** Alternately paused and recovered, every `stepMinutes` from `start`. */
function flapping(registryId: string, exporterName: string, count: number, start: number, stepMinutes: number): MonitorEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const paused = index % 2 === 0;
    const at = start + index * stepMinutes * MINUTE;
    return event({
      registryId,
      exporterName,
      type: paused ? 'state-changed' : 'recovered',
      at,
      previousState: paused ? 'RUNNING' : 'PAUSED',
      state: paused ? 'PAUSED' : 'RUNNING',
      trace: TRACE,
      ...(paused && { rootCause: TRACE.split('\n', 1)[0]! }),
    });
  });
}

export const HISTORY_EVENTS: readonly MonitorEvent[] = [
  // prod/orders-link: 500 events within 2026-11-20 (every 2 minutes from 00:00 to 16:38).
  ...flapping('prod', 'orders-link', 500, FIRST_DAY + 24 * HOUR, 2),
  // prod/payments-link: 40 events on 2026-11-21.
  ...flapping('prod', 'payments-link', 40, FIRST_DAY + 48 * HOUR, 30),
  // staging/orders-link (same exporter name, other registry): 50 events from 2026-11-19 to 2026-11-22, every 90 minutes.
  ...flapping('staging', 'orders-link', 50, FIRST_DAY, 90),
  // staging itself: its access failing and coming back, 10 events.
  ...Array.from({ length: 10 }, (_, index) =>
    event({
      registryId: 'staging',
      type: index % 2 === 0 ? 'monitor-degraded' : 'monitor-recovered',
      at: FIRST_DAY + 12 * HOUR + index * HOUR,
      previousState: index % 2 === 0 ? 'OK' : 'DEGRADED',
      state: index % 2 === 0 ? 'DEGRADED' : 'OK',
      trace: TRACE,
    }),
  ),
];
