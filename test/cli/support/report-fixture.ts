/**
 * A day of registry `prod` whose report figures are worked out by hand below, so the report's
 * arithmetic is checked against something other than itself. Window: 2026-11-20, 00:00 to 24:00 UTC.
 */
import { event, HOUR, record, type StoreContent } from './harness.js';

export const DAY_START = Date.UTC(2026, 10, 20);
export const DAY_END = DAY_START + 24 * HOUR;
/** The report runs six hours after the window: orders-link's second incident recovered in between. */
export const REPORT_NOW = DAY_END + 6 * HOUR;
const at = (hours: number) => DAY_START + hours * HOUR;
const LONG_AGO = Date.UTC(2026, 10, 1);
const SILENCED_UNTIL = REPORT_NOW + 2 * HOUR;

const A1 = { id: 'inc-a1', openedAt: at(2) };
const A2 = { id: 'inc-a2', openedAt: at(20) };
const C1 = { id: 'inc-c1', openedAt: at(12) };
const C2 = { id: 'inc-c2', openedAt: at(22) };
const D1 = { id: 'inc-d1', openedAt: at(18) };
const R1 = { id: 'inc-r1', openedAt: at(4) };
const CAUSE = 'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject :.source.target:stock_trades-value is not in import mode; error code: 42205';

export const REPORT_FIXTURE: StoreContent = {
  runs: [{ registryId: 'prod', at: REPORT_NOW - 60_000 }],
  silences: [{ registryId: 'prod', exporterName: 'search-link', until: SILENCED_UNTIL, reason: 'vendor fix due' }],
  records: [
    record('prod', 'orders-link', 'RUNNING', at(26)),
    record('prod', 'payments-link', 'RUNNING', LONG_AGO),
    record('prod', 'search-link', 'PAUSED', at(22), { ...C2, cause: `PAUSED: ${CAUSE}` }),
    record('prod', 'new-link', 'RUNNING', at(19)),
    record('prod', 'late-link', 'RUNNING', at(15)),
    // Deleted weeks ago and still MISSING: its incident is open, but there is no availability to report.
    record('prod', 'old-link', 'MISSING', Date.UTC(2026, 10, 5), { id: 'inc-e1', openedAt: Date.UTC(2026, 10, 5), cause: 'MISSING: MISSING' }),
  ],
  events: [
    // orders-link: paused 02:00-08:00 (announced after the debounce, reminded once), and again from 20:00 to 02:00 the next day.
    event({ exporterName: 'orders-link', type: 'state-changed', at: at(2) + 120_000, since: at(2), previousState: 'RUNNING', state: 'PAUSED', incident: A1, rootCause: CAUSE }),
    event({ exporterName: 'orders-link', type: 'reminder', at: at(6) + 120_000, since: at(2), state: 'PAUSED', incident: A1, rootCause: CAUSE }),
    event({ exporterName: 'orders-link', type: 'recovered', at: at(8), previousState: 'PAUSED', state: 'RUNNING', incident: A1, durationMs: 6 * HOUR }),
    event({ exporterName: 'orders-link', type: 'state-changed', at: at(20) + 60_000, since: at(20), previousState: 'RUNNING', state: 'PAUSED', incident: A2, rootCause: CAUSE }),
    event({ exporterName: 'orders-link', type: 'recovered', at: at(26), previousState: 'PAUSED', state: 'RUNNING', incident: A2, durationMs: 6 * HOUR }),
    // search-link: a quiet restart (no incident), then paused 12:00-13:00, STARTING until 13:30, and paused again from 22:00.
    event({ exporterName: 'search-link', type: 'state-changed', at: at(10) + 60_000, since: at(10), previousState: 'RUNNING', state: 'STARTING', notify: false }),
    event({ exporterName: 'search-link', type: 'state-changed', at: at(10.5) + 60_000, since: at(10.5), previousState: 'STARTING', state: 'RUNNING', notify: false }),
    event({ exporterName: 'search-link', type: 'state-changed', at: at(12) + 120_000, since: at(12), previousState: 'RUNNING', state: 'PAUSED', incident: C1, rootCause: CAUSE }),
    event({ exporterName: 'search-link', type: 'state-changed', at: at(13), previousState: 'PAUSED', state: 'STARTING', incident: C1 }),
    event({ exporterName: 'search-link', type: 'recovered', at: at(13.5), previousState: 'STARTING', state: 'RUNNING', incident: C1, durationMs: 1.5 * HOUR }),
    event({ exporterName: 'search-link', type: 'state-changed', at: at(22) + 120_000, since: at(22), previousState: 'RUNNING', state: 'PAUSED', incident: C2, rootCause: CAUSE }),
    // ...an auto-resume attempt that did not hold, then a reminder held back by the silence set at 23:00.
    event({ exporterName: 'search-link', type: 'auto-resumed', at: at(22.5), since: at(22), state: 'PAUSED', incident: C2, autoResume: { outcome: 'resumed', attempt: 1, maxAttempts: 3 } }),
    event({ exporterName: 'search-link', type: 'reminder', at: at(23.5), since: at(22), state: 'PAUSED', incident: C2, muted: { until: SILENCED_UNTIL, reason: 'vendor fix due' } }),
    // new-link: first seen at 18:00, already PAUSED; recovered at 19:00.
    event({ exporterName: 'new-link', type: 'first-seen-unhealthy', at: at(18), state: 'PAUSED', incident: D1, rootCause: CAUSE }),
    event({ exporterName: 'new-link', type: 'recovered', at: at(19), previousState: 'PAUSED', state: 'RUNNING', incident: D1, durationMs: HOUR }),
    // The monitor could not read the registry from 04:00 to 05:00: an incident of the registry, not of an exporter.
    event({ type: 'monitor-degraded', at: at(4) + 120_000, since: at(4), previousState: 'OK', state: 'DEGRADED', incident: R1 }),
    event({ type: 'monitor-recovered', at: at(5), previousState: 'DEGRADED', state: 'OK', incident: R1, durationMs: HOUR }),
  ],
};

/**
 * Worked out by hand from the story above (hours of the window). The monitor could not read the
 * registry from 4 to 5: that hour is blind for every exporter watched then, counted neither way.
 * - orders-link: RUNNING 0-2, PAUSED 2-8, RUNNING 8-20, PAUSED 20-24 => 14 h of 23 seen; a1 and a2
 *   opened, a1 recovered in the window after 6 h (a2 recovered after the window ended); none open now.
 * - payments-link: RUNNING all day, 23 h seen.
 * - search-link: RUNNING 0-10, STARTING 10-10.5, RUNNING 10.5-12, PAUSED 12-13, STARTING 13-13.5,
 *   RUNNING 13.5-22, PAUSED 22-24 => 19 h of 23 seen; c1 (1.5 h) and c2 opened, c2 still open.
 * - new-link: not watched before 18, PAUSED 18-19, RUNNING 19-24 => 5 h of 6; d1 took 1 h.
 * - late-link: first seen RUNNING at 15 => 9 h of 9.
 * - old-link: MISSING all day, left out.
 */
export const EXPECTED_FIGURES = [
  { exporter: 'late-link', availability: 1, runningMs: 9 * HOUR, watchedMs: 9 * HOUR, incidentsOpened: 0, recoveries: 0, meanTimeToRecoveryMs: null, worstTimeToRecoveryMs: null, openNow: 0 },
  { exporter: 'new-link', availability: 5 / 6, runningMs: 5 * HOUR, watchedMs: 6 * HOUR, incidentsOpened: 1, recoveries: 1, meanTimeToRecoveryMs: HOUR, worstTimeToRecoveryMs: HOUR, openNow: 0 },
  { exporter: 'orders-link', availability: 14 / 23, runningMs: 14 * HOUR, watchedMs: 23 * HOUR, incidentsOpened: 2, recoveries: 1, meanTimeToRecoveryMs: 6 * HOUR, worstTimeToRecoveryMs: 6 * HOUR, openNow: 0 },
  { exporter: 'payments-link', availability: 1, runningMs: 23 * HOUR, watchedMs: 23 * HOUR, incidentsOpened: 0, recoveries: 0, meanTimeToRecoveryMs: null, worstTimeToRecoveryMs: null, openNow: 0 },
  { exporter: 'search-link', availability: 19 / 23, runningMs: 19 * HOUR, watchedMs: 23 * HOUR, incidentsOpened: 2, recoveries: 1, meanTimeToRecoveryMs: 1.5 * HOUR, worstTimeToRecoveryMs: 1.5 * HOUR, openNow: 1 },
];

/** Every incident open at some time in the window, newest first. */
export const EXPECTED_INCIDENTS = ['inc-c2', 'inc-a2', 'inc-d1', 'inc-c1', 'inc-r1', 'inc-a1', 'inc-e1'];
