import { exampleEvent } from '../../../local/example-events.js';
import { activeSilence, applySilences, isDeliverable } from '../../../lambda/core/silence.js';
import type { MonitorEvent, Silence } from '../../../lambda/core/model.js';

const NOW = Date.UTC(2026, 10, 26, 12);
const event = (exporterName?: string): MonitorEvent => ({
  id: `evt-${exporterName ?? 'registry'}`,
  type: exporterName ? 'state-changed' : 'monitor-degraded',
  severity: 'critical',
  registryId: 'prod',
  ...(exporterName && { exporterName }),
  at: NOW,
  state: 'PAUSED',
  since: NOW,
  notify: true,
});

describe('silences', () => {
  const exporterSilence: Silence = { registryId: 'prod', exporterName: 'orders', until: NOW + 60_000, reason: 'migration' };
  const registrySilence: Silence = { registryId: 'prod', until: NOW + 120_000, reason: 'maintenance window' };

  it('mutes only the silenced exporter, keeping the event for history', () => {
    const [orders, payments] = applySilences([event('orders'), event('payments')], [exporterSilence], NOW);
    expect(orders).toMatchObject({ muted: { until: NOW + 60_000, reason: 'migration' } });
    expect(isDeliverable(orders!)).toBe(false);
    expect(isDeliverable(payments!)).toBe(true);
  });

  it('mutes every exporter and the monitor itself when the whole registry is silenced', () => {
    const muted = applySilences([event('orders'), event()], [registrySilence], NOW);
    expect(muted.every((e) => e.muted?.reason === 'maintenance window')).toBe(true);
  });

  it('stops muting when the silence ends, and never crosses registries', () => {
    expect(activeSilence([exporterSilence], 'prod', 'orders', NOW + 60_000)).toBeUndefined();
    expect(activeSilence([registrySilence], 'dr', 'orders', NOW)).toBeUndefined();
  });

  it('picks the longer of an exporter and a registry silence', () => {
    expect(activeSilence([exporterSilence, registrySilence], 'prod', 'orders', NOW)?.reason).toBe('maintenance window');
  });

  it('muted events and events only worth recording are not sent', () => {
    const paused = exampleEvent('state-changed');
    expect(isDeliverable(paused)).toBe(true);
    expect(isDeliverable({ ...paused, notify: false })).toBe(false);
    expect(isDeliverable({ ...paused, muted: { until: paused.at + 60_000, reason: 'maintenance' } })).toBe(false);
  });

  it('never sends quiet events', () => {
    expect(isDeliverable({ ...event('orders'), notify: false })).toBe(false);
  });
});
