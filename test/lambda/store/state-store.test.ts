import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { MonitorEvent, SubjectRecord } from '../../../lambda/core/model.js';
import { HISTORY_BY_DAY_INDEX } from '../../../lambda/store/keys.js';
import { MAX_OUTBOX_ENTRIES, StateStore } from '../../../lambda/store/state-store.js';
import { type EmbeddedDynamo, LOCAL_TABLE_NAME, startEmbeddedDynamo } from '../../../local/dynamo-table.js';

const NOW = Date.UTC(2026, 10, 26, 12);
let dynamo: EmbeddedDynamo;
let store: StateStore;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  store = new StateStore({ client: dynamo.client, tableName: LOCAL_TABLE_NAME, historyRetentionDays: 90 });
});
afterAll(() => dynamo.close());

const record = (registryId: string, exporterName: string, state = 'RUNNING'): SubjectRecord => ({
  registryId,
  exporterName,
  state,
  signature: '',
  since: NOW,
});

const event = (registryId: string, exporterName: string, n: number, trace = ''): MonitorEvent => ({
  id: `evt-${exporterName}-${n}`,
  type: 'state-changed',
  severity: 'critical',
  registryId,
  exporterName,
  at: NOW + n,
  previousState: 'RUNNING',
  state: 'PAUSED',
  since: NOW,
  notify: true,
  trace,
});

describe('StateStore', () => {
  it('reads every record of a registry in one query, and nothing of another registry', async () => {
    for (const name of ['a', 'b', 'c']) await store.saveSubject(undefined, record('r1', name), [], 0, NOW);
    await store.saveSubject(undefined, record('r2', 'a'), [], 0, NOW);
    const snapshot = await store.loadRegistry('r1');
    expect([...snapshot.exporters.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(snapshot.pagesRead).toBe(1);
    expect(snapshot.exporters.get('a')!.record).toEqual(record('r1', 'a'));
  });

  it('refuses a write based on a stale read, so two overlapping runs cannot both announce a transition', async () => {
    const created = await store.saveSubject(undefined, record('race', 'x'), [], 0, NOW);
    const first = await store.saveSubject(created, record('race', 'x', 'PAUSED'), [event('race', 'x', 1)], NOW + 1000, NOW);
    const second = await store.saveSubject(created, record('race', 'x', 'PAUSED'), [event('race', 'x', 2)], NOW + 1000, NOW);
    expect(first).toBeDefined();
    expect(second).toBeUndefined();
    expect(await store.saveSubject(undefined, record('race', 'x'), [], 0, NOW)).toBeUndefined();
    const stored = (await store.loadRegistry('race')).exporters.get('x')!;
    expect([...stored.outbox.keys()]).toEqual(['evt-x-1']);
  });

  it('keeps undelivered events in the outbox and removes exactly the delivered ones', async () => {
    const saved = await store.saveSubject(undefined, record('ob', 'x', 'PAUSED'), [event('ob', 'x', 1), event('ob', 'x', 2)], NOW + 1000, NOW);
    await store.removeFromOutbox(saved!.record, ['evt-x-1']);
    const after = (await store.loadRegistry('ob')).exporters.get('x')!;
    expect([...after.outbox.keys()]).toEqual(['evt-x-2']);
    expect(after.version).toBe(saved!.version + 1);
    // A claim is refused once the record moved on, and granted on the current version.
    expect(await store.claimOutbox(saved!, NOW + 5000)).toBeUndefined();
    expect(await store.claimOutbox(after, NOW + 5000)).toMatchObject({ claimedUntil: NOW + 5000 });
  });

  it('writes history idempotently, with a TTL, findable per exporter and per day', async () => {
    const events = Array.from({ length: 30 }, (_, n) => event('hist', 'orders', n));
    await store.recordHistory(events);
    await store.recordHistory(events.slice(0, 5));
    const perExporter = await dynamo.client.send(
      new QueryCommand({ TableName: LOCAL_TABLE_NAME, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'HIST#hist#orders' } } }),
    );
    expect(perExporter.Count).toBe(30);
    const item = unmarshall(perExporter.Items![0]!);
    expect(item.expiresAt).toBe(Math.floor(NOW / 1000) + 90 * 86_400);
    const perDay = await dynamo.client.send(
      new QueryCommand({
        TableName: LOCAL_TABLE_NAME,
        IndexName: HISTORY_BY_DAY_INDEX,
        KeyConditionExpression: 'gsi1pk = :day',
        ExpressionAttributeValues: { ':day': { S: 'DAY#2026-11-26' } },
      }),
    );
    expect(perDay.Items!.filter((i) => i.registryId?.S === 'hist')).toHaveLength(30);
  });

  it('keeps a record under 400 KB whatever the traces and however long SNS stays down', async () => {
    let subject = await store.saveSubject(undefined, record('big', 'x', 'PAUSED'), [], 0, NOW);
    for (let n = 0; n < MAX_OUTBOX_ENTRIES + 10; n += 1) {
      // Events carry bounded excerpts; 4-byte characters are the worst case for the item size.
      subject = await store.saveSubject(subject, record('big', 'x', 'PAUSED'), [event('big', 'x', n, '😀'.repeat(2000))], NOW, NOW);
      expect(subject).toBeDefined();
    }
    const raw = await dynamo.client.send(new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: { pk: { S: 'REG#big' }, sk: { S: 'EXP#x' } } }));
    expect(JSON.stringify(raw.Item).length).toBeLessThan(400_000);
    expect(subject!.outbox.size).toBe(MAX_OUTBOX_ENTRIES);
    // The newest events are the ones kept.
    expect(subject!.outbox.has(`evt-x-${MAX_OUTBOX_ENTRIES + 9}`)).toBe(true);
  });

  it('follows pagination past 1 MB of records', async () => {
    const rootCause = 'x'.repeat(3000);
    await Promise.all(
      Array.from({ length: 450 }, (_, n) => store.saveSubject(undefined, { ...record('many', `exp-${n}`), rootCause }, [], 0, NOW)),
    );
    const snapshot = await store.loadRegistry('many');
    expect(snapshot.exporters.size).toBe(450);
    expect(snapshot.pagesRead).toBeGreaterThan(1);
  });

  it('stores silences and lifts them without losing who set them', async () => {
    await store.putSilence({ registryId: 'sil', exporterName: 'orders', until: NOW + 3_600_000, reason: 'migration', createdBy: 'ana' });
    await store.putSilence({ registryId: 'sil', until: NOW + 60_000, reason: 'window' });
    expect((await store.loadRegistry('sil')).silences).toEqual(
      expect.arrayContaining([
        { registryId: 'sil', exporterName: 'orders', until: NOW + 3_600_000, reason: 'migration', createdBy: 'ana' },
        { registryId: 'sil', until: NOW + 60_000, reason: 'window' },
      ]),
    );
    expect(await store.deleteSilence('sil', 'orders', NOW)).toBe(true);
    expect(await store.deleteSilence('sil', 'nobody', NOW)).toBe(false);
    // Lifted already, or over by itself: there is nothing to lift.
    expect(await store.deleteSilence('sil', 'orders', NOW)).toBe(false);
    expect(await store.deleteSilence('sil', undefined, NOW + 120_000)).toBe(false);
    const lifted = (await store.loadRegistry('sil')).silences.find((s) => s.exporterName === 'orders');
    expect(lifted).toMatchObject({ until: 0, createdBy: 'ana' });
  });
});
