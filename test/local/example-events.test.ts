import { EXAMPLE_TYPES, EXAMPLE_AT, exampleEvent } from '../../local/example-events.js';

describe('the example events are what the core decides', () => {
  it.each(EXAMPLE_TYPES)('a %s example carries an event id and an incident id of the shape the core gives them', (type) => {
    const event = exampleEvent(type);
    expect(event.id).toMatch(/^evt-[0-9a-f]{24}$/);
    expect(event.incidentId).toMatch(/^inc-[0-9a-f]{16}$/);
    expect(event.at).toBe(EXAMPLE_AT);
    expect(event.notify).toBe(true);
  });

  it('every example has its own event id, and the messages of one incident share its id', () => {
    expect(new Set(EXAMPLE_TYPES.map((type) => exampleEvent(type).id)).size).toBe(EXAMPLE_TYPES.length);
    // Each opened 42 minutes before: the exporter's incident from PAUSED to a new error to RUNNING.
    expect(exampleEvent('error-changed').incidentId).toBe(exampleEvent('recovered').incidentId);
    expect(exampleEvent('monitor-recovered').incidentId).not.toBe(exampleEvent('recovered').incidentId);
  });
});
