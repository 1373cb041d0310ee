import { emailText, subject } from '../../../lambda/notify/messages.js';
import { EXAMPLE_AT, exampleEvent } from '../../../local/example-events.js';
import { paused } from '../../support/paused-example.js';

const MINUTE = 60_000;

describe('subject line', () => {
  it.each([
    ['state-changed', '[prod] orders-link RUNNING -> PAUSED'],
    ['first-seen-unhealthy', '[prod] orders-link is PAUSED (first check)'],
    ['disappeared', '[prod] orders-link disappeared'],
    ['reappeared', '[prod] orders-link reappeared as STARTING'],
    ['error-changed', '[prod] orders-link PAUSED with a new error'],
    ['stuck', '[prod] orders-link stuck in STARTING for 30m'],
    ['reminder', '[prod] reminder: orders-link PAUSED for 4h 1m'],
    ['recovered', '[prod] orders-link recovered after 42m'],
    ['monitor-degraded', '[prod] monitor cannot read registry (credentials)'],
    ['monitor-reminder', '[prod] reminder: monitor cannot read registry for 4h 1m (credentials)'],
    ['monitor-recovered', '[prod] monitor recovered after 42m'],
  ] as const)('a %s event reads "%s" in the inbox', (type, expected) => {
    expect(subject(exampleEvent(type))).toBe(expected);
  });

  it('long durations read in hours and days', () => {
    expect(subject(exampleEvent('reminder', { since: EXAMPLE_AT - 90 * MINUTE }))).toBe('[prod] reminder: orders-link PAUSED for 1h 30m');
    expect(subject(exampleEvent('reminder', { since: EXAMPLE_AT - 3 * 24 * 60 * MINUTE }))).toBe('[prod] reminder: orders-link PAUSED for 3d');
  });
});

describe('email text', () => {
  it('an unknown ts reads "unknown", and offset -1 says nothing was exported yet', () => {
    expect(emailText(paused({ ts: null, offset: -1 }))).toMatch(/Offset: +-1 \(nothing exported yet\)\nLast record \(ts\): unknown/);
    expect(emailText(paused({ ts: undefined, offset: undefined }))).toMatch(/Offset: +unknown\nLast record \(ts\): unknown/);
  });

  it('a recovery email says how long the incident lasted and that nothing is left to do', () => {
    const text = emailText(exampleEvent('recovered'));
    expect(text).toContain('is RUNNING again after 42m.');
    expect(text).toMatch(/Incident: +inc-[0-9a-f]{16}, lasted 42m/);
    expect(text).toContain('- Nothing to do');
  });

  it('a forgotten exporter is worded for the history: no recovery, its incident still says when it opened', () => {
    const forgotten = exampleEvent('disappeared', { type: 'forgotten', severity: 'info' });
    expect(subject(forgotten)).toBe('[prod] orders-link forgotten');
    const text = emailText(forgotten);
    expect(text.split('\n')[0]).toBe('Exporter orders-link on registry prod was forgotten by an operator: its record is gone and its incident ends.');
    expect(text.split('\n')[1]).toMatch(/^MISSING: /);
    expect(text).toMatch(/Incident: +inc-[0-9a-f]{16}, opened /);
  });
});
