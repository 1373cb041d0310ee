/**
 * DynamoDB adapter: the latest record of every exporter, the registry's own record, silences,
 * the outbox of events not yet delivered, and the history of every event.
 *
 * Every record write is conditional on the version read, so two overlapping runs cannot both
 * announce one transition. Events are first stored in the record they belong to (the outbox),
 * in the same write as the state change, so a run that dies before publishing leaves them for
 * the next run: delivery is at-least-once, and each event keeps its id for de-duplication.
 */
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { MonitorEvent, Silence, SubjectRecord } from '../core/model.js';
import type { RegistrySnapshot, RunStore, RunSummary, StoredSubject } from '../ports.js';
import {
  dayPk,
  historyPk,
  historySk,
  isExporterSk,
  isSilenceSk,
  MONITOR_SK,
  registryPk,
  RUN_SK,
  silenceSk,
  subjectSk,
} from './keys.js';

export interface StateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** History items expire (TTL) this many days after the event. */
  readonly historyRetentionDays: number;
}

/**
 * An outbox keeps at most this many events, and the whole item at most MAX_ITEM_BYTES: through a
 * long SNS outage the oldest events give way, so the record can always be written. Counting
 * entries alone is not enough: an event repeats the exporter name and a monitor failure's path,
 * which the registry supplies and which can be many KB.
 */
export const MAX_OUTBOX_ENTRIES = 25;
/** DynamoDB refuses items over 400 KB; this leaves room for its own way of counting. */
export const MAX_ITEM_BYTES = 350 * 1024;
const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: true } as const;
const BATCH_WRITE_LIMIT = 25;
const BATCH_WRITE_ATTEMPTS = 8;

const STORE_FIELDS = ['pk', 'sk', 'kind', 'version', 'outbox', 'claimedUntil', 'updatedAt'] as const;

export class StateStore implements RunStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly retentionSeconds: number;

  constructor(options: StateStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.retentionSeconds = Math.round(options.historyRetentionDays * 86_400);
  }

  /** Everything one run needs about a registry, in one paginated, strongly consistent Query. */
  async loadRegistry(registryId: string): Promise<RegistrySnapshot> {
    const exporters = new Map<string, StoredSubject>();
    const silences: Silence[] = [];
    let monitor: StoredSubject | undefined;
    let lastRun: RunSummary | undefined;
    let pagesRead = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: registryPk(registryId) } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      pagesRead += 1;
      for (const raw of page.Items ?? []) {
        const item = unmarshall(raw);
        const sk = String(item.sk);
        if (sk === MONITOR_SK) monitor = toStoredSubject(item);
        else if (sk === RUN_SK) lastRun = item.summary as RunSummary;
        else if (isSilenceSk(sk)) silences.push(toSilence(item));
        else if (isExporterSk(sk)) {
          const subject = toStoredSubject(item);
          exporters.set(subject.record.exporterName ?? '', subject);
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return { ...(monitor && { monitor }), exporters, silences, ...(lastRun && { lastRun }), pagesRead };
  }

  /**
   * Writes a record that the core changed, with its new events added to the outbox, if nobody
   * wrote it since `previous` was read. Returns undefined when another run got there first: that
   * run owns the transition, and this run announces nothing for it.
   */
  async saveSubject(
    previous: StoredSubject | undefined,
    record: SubjectRecord,
    newEvents: readonly MonitorEvent[],
    claimedUntil: number,
    now: number,
  ): Promise<StoredSubject | undefined> {
    const version = (previous?.version ?? 0) + 1;
    const fields = {
      ...record,
      pk: registryPk(record.registryId),
      sk: subjectSk(record.exporterName),
      kind: record.exporterName === undefined ? 'monitor' : 'exporter',
      version,
      claimedUntil,
      updatedAt: now,
    };
    const merged = new Map([...(previous?.outbox ?? []), ...newEvents.map((e) => [e.id, e] as const)]);
    const outbox = boundOutbox(merged, MAX_ITEM_BYTES - jsonBytes(fields));
    const stored: StoredSubject = { record, version, outbox, claimedUntil };
    const item = { ...fields, ...(outbox.size > 0 && { outbox: Object.fromEntries(outbox) }) };
    const written = await this.conditionally(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall(item, MARSHALL_OPTIONS),
        ...versionCondition(previous?.version),
      }),
    );
    return written === undefined ? undefined : stored;
  }

  /** Takes over an outbox left by a run that died or could not publish, if still untouched. */
  async claimOutbox(subject: StoredSubject, claimedUntil: number): Promise<StoredSubject | undefined> {
    const written = await this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: subjectKey(subject.record),
        UpdateExpression: 'SET claimedUntil = :claim, version = :next',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':claim': { N: String(claimedUntil) },
          ':next': { N: String(subject.version + 1) },
          ':version': { N: String(subject.version) },
        },
      }),
    );
    return written === undefined ? undefined : { ...subject, version: subject.version + 1, claimedUntil };
  }

  /**
   * Removes delivered events from a record's outbox. Removal is by event id, so it is right even
   * if another run rewrote the record meanwhile (carrying the same entries); the version bump
   * makes such a run's stale write fail instead of bringing delivered events back. Returns the
   * record's new version, or undefined when there was nothing to remove.
   */
  async removeFromOutbox(record: SubjectRecord, eventIds: readonly string[]): Promise<number | undefined> {
    if (eventIds.length === 0) return undefined;
    const names = Object.fromEntries(eventIds.map((id, index) => [`#e${index}`, id]));
    const updated = await this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: subjectKey(record),
        UpdateExpression: `REMOVE ${Object.keys(names).map((name) => `outbox.${name}`).join(', ')} ADD version :one`,
        ConditionExpression: 'attribute_exists(outbox)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return updated === undefined ? undefined : Number(updated.version?.N);
  }

  /**
   * Ends a claim early: a run that finished without delivering all it claimed lets the next run
   * (a manual invoke right after, or the next schedule) retry at once instead of waiting for the
   * claim to run out. Only if nobody wrote the record since this run's last write (`version`):
   * another run's events may be in the outbox then, and that run may still be delivering them.
   */
  async releaseClaim(record: SubjectRecord, version: number): Promise<boolean> {
    const updated = await this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: subjectKey(record),
        UpdateExpression: 'SET claimedUntil = :released, version = :next',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':released': { N: '0' },
          ':next': { N: String(version + 1) },
          ':version': { N: String(version) },
        },
      }),
    );
    return updated !== undefined;
  }

  /** Writes events to history; idempotent (the key is the event's time and id). */
  async recordHistory(events: readonly MonitorEvent[]): Promise<void> {
    const requests = events.map((event) => ({
      PutRequest: { Item: marshall(this.historyItem(event), MARSHALL_OPTIONS) },
    }));
    for (let start = 0; start < requests.length; start += BATCH_WRITE_LIMIT) {
      let pending: typeof requests = requests.slice(start, start + BATCH_WRITE_LIMIT);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > BATCH_WRITE_ATTEMPTS) throw new Error(`history: ${pending.length} items still unprocessed after ${BATCH_WRITE_ATTEMPTS} attempts`);
        if (attempt > 1) await sleep(Math.min(2_000, 50 * 2 ** attempt) * Math.random());
        const result = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /** One small write per registry per run, so `status` can say when each registry was last checked. */
  async recordRun(registryId: string, summary: RunSummary): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ pk: registryPk(registryId), sk: RUN_SK, kind: 'run', summary }, MARSHALL_OPTIONS),
      }),
    );
  }

  async putSilence(silence: Silence): Promise<void> {
    const item = {
      ...silence,
      pk: registryPk(silence.registryId),
      sk: silenceSk(silence.exporterName),
      kind: 'silence',
      // Let DynamoDB remove a silence a week after it ends; it stopped counting at `until` anyway.
      expiresAt: Math.ceil(silence.until / 1000) + 7 * 86_400,
    };
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall(item, MARSHALL_OPTIONS) }));
  }

  /** Ends a silence that is still in force at `now`; false when there is none (never set, or already over). */
  async deleteSilence(registryId: string, exporterName: string | undefined, now: number): Promise<boolean> {
    const updated = await this.conditionally(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: registryPk(registryId) }, sk: { S: silenceSk(exporterName) } },
        // An UpdateItem that sets `until` to the past keeps the audit trail of who muted what.
        UpdateExpression: 'SET #until = :zero',
        ConditionExpression: 'attribute_exists(pk) AND #until > :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':zero': { N: '0' }, ':now': { N: String(now) } },
      }),
    );
    return updated !== undefined;
  }

  historyItem(event: MonitorEvent): Record<string, unknown> {
    const sk = historySk(event.at, event.id);
    return {
      ...event,
      pk: historyPk(event.registryId, event.exporterName),
      sk,
      kind: 'event',
      gsi1pk: dayPk(event.at),
      gsi1sk: sk,
      expiresAt: Math.floor(event.at / 1000) + this.retentionSeconds,
    };
  }

  /**
   * Sends a conditional write: the attributes it returned (none unless asked for), or undefined
   * when its condition did not hold.
   */
  private async conditionally(command: PutItemCommand | UpdateItemCommand): Promise<Record<string, AttributeValue> | undefined> {
    try {
      const output = await this.client.send(command as PutItemCommand);
      return output.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
        return undefined;
      }
      throw error;
    }
  }
}

function subjectKey(record: SubjectRecord): Record<string, AttributeValue> {
  return { pk: { S: registryPk(record.registryId) }, sk: { S: subjectSk(record.exporterName) } };
}

/** A first write must create the item; a later one must find the version it read. */
function versionCondition(version: number | undefined) {
  return version === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': { N: String(version) } } };
}

function toStoredSubject(item: Record<string, unknown>): StoredSubject {
  const record = Object.fromEntries(
    Object.entries(item).filter(([key]) => !(STORE_FIELDS as readonly string[]).includes(key)),
  ) as unknown as SubjectRecord;
  const outbox = new Map(Object.entries((item.outbox ?? {}) as Record<string, MonitorEvent>));
  return { record, version: Number(item.version ?? 0), outbox, claimedUntil: Number(item.claimedUntil ?? 0) };
}

function toSilence(item: Record<string, unknown>): Silence {
  return {
    registryId: String(item.registryId),
    ...(item.exporterName !== undefined && { exporterName: String(item.exporterName) }),
    until: Number(item.until),
    reason: String(item.reason ?? ''),
    ...(item.createdBy !== undefined && { createdBy: String(item.createdBy) }),
  };
}

/**
 * Keeps the outbox within MAX_OUTBOX_ENTRIES and `roomBytes`: the oldest events that were only to
 * be recorded go first, then the oldest.
 */
function boundOutbox(outbox: Map<string, MonitorEvent>, roomBytes: number): Map<string, MonitorEvent> {
  const sizes = new Map([...outbox].map(([id, event]) => [id, jsonBytes(id) + jsonBytes(event) + 2]));
  let count = outbox.size;
  let bytes = [...sizes.values()].reduce((sum, size) => sum + size, 2);
  if (count <= MAX_OUTBOX_ENTRIES && bytes <= roomBytes) return outbox;
  const byAge = [...outbox.values()].sort((a, b) => a.at - b.at);
  const droppable = [...byAge.filter((e) => !e.notify || e.muted), ...byAge.filter((e) => e.notify && !e.muted)];
  const dropped = new Set<string>();
  for (const event of droppable) {
    if (count <= MAX_OUTBOX_ENTRIES && bytes <= roomBytes) break;
    dropped.add(event.id);
    count -= 1;
    bytes -= sizes.get(event.id)!;
  }
  return new Map([...outbox].filter(([id]) => !dropped.has(id)));
}

/** An upper bound of what a value counts towards DynamoDB's item size (its JSON is never smaller). */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
