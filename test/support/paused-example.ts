/**
 * The example most message tests start from: exporter orders-link went from RUNNING to PAUSED
 * with error code 42205 (a trace, a root cause, an offset and an open incident), with `overrides`
 * applied.
 */
import type { MonitorEvent } from '../../lambda/core/model.js';
import { exampleEvent } from '../../local/example-events.js';

export const paused = (overrides: Partial<MonitorEvent> = {}): MonitorEvent => exampleEvent('state-changed', overrides);
