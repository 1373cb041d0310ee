/**
 * Reading history back (the CLI's `history`, `incidents` and `report`), next to the layout in
 * keys.ts that it depends on. Every read is a Query on a key, never a Scan:
 *
 * - one exporter of one registry: its own partition `HIST#<registry>#<exporter>`, by time;
 * - anything wider (a registry, an event type, every registry): the `history-by-day` index, one
 *   Query per UTC day of the window, with the other filters as a FilterExpression.
 *
 * Each Query follows `LastEvaluatedKey` to the end (DynamoDB returns at most 1 MB per page).
 */
import { type AttributeValue, type DynamoDBClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { MonitorEvent } from '../core/model.js';
import { dayPk, HISTORY_BY_DAY_INDEX, historyPk } from './keys.js';

export interface HistoryFilter {
  /** Registries to keep; empty or absent keeps all. */
  readonly registryIds?: readonly string[];
  readonly exporterName?: string;
  /** Event types to keep; empty or absent keeps all. */
  readonly types?: readonly string[];
  /** Start of the window, epoch ms, inclusive. */
  readonly from: number;
  /** End of the window, epoch ms, exclusive. */
  readonly to: number;
}

export interface HistoryReader {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Called after every page, for progress on a terminal. */
  readonly onPage?: (progress: { readonly pages: number; readonly events: number }) => void;
}

/** Attributes that exist only to place the item in the table and its index. */
const KEY_FIELDS = new Set(['pk', 'sk', 'kind', 'gsi1pk', 'gsi1sk', 'expiresAt']);
const DAY_MS = 86_400_000;

/** Events matching the filter, newest first. */
export async function readHistory(reader: HistoryReader, filter: HistoryFilter): Promise<MonitorEvent[]> {
  const events: MonitorEvent[] = [];
  let pages = 0;
  const onPage = (items: MonitorEvent[]) => {
    events.push(...items);
    pages += 1;
    reader.onPage?.({ pages, events: events.length });
  };
  for (const query of historyQueries(reader.tableName, filter)) await queryAll(reader.client, query, onPage);
  return events;
}

/** The queries that answer the filter, in newest-first order. */
function historyQueries(tableName: string, filter: HistoryFilter): QueryCommandInput[] {
  if (filter.to <= filter.from) return [];
  // Sort keys start with the ISO time: an event at exactly `to` sorts after `to` itself, so BETWEEN is half-open.
  const range = { ':from': { S: new Date(filter.from).toISOString() }, ':to': { S: new Date(filter.to).toISOString() } };
  const [registryId, ...others] = filter.registryIds ?? [];
  if (registryId !== undefined && others.length === 0 && filter.exporterName !== undefined) {
    const rest = filterExpression({ ...filter, registryIds: undefined, exporterName: undefined });
    return [
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ...withValues(rest, { ':pk': { S: historyPk(registryId, filter.exporterName) }, ...range }),
        ScanIndexForward: false,
      },
    ];
  }
  const rest = filterExpression(filter);
  return daysNewestFirst(filter.from, filter.to).map((day) => ({
    TableName: tableName,
    IndexName: HISTORY_BY_DAY_INDEX,
    KeyConditionExpression: 'gsi1pk = :day AND gsi1sk BETWEEN :from AND :to',
    ...withValues(rest, { ':day': { S: day }, ...range }),
    ScanIndexForward: false,
  }));
}

interface Expression {
  readonly FilterExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

function filterExpression(filter: HistoryFilter): Expression {
  const terms: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const oneOf = (attribute: string, allowed: readonly string[] | undefined) => {
    if (allowed === undefined || allowed.length === 0) return;
    names[`#${attribute}`] = attribute;
    const placeholders = allowed.map((value, index) => {
      values[`:${attribute}${index}`] = { S: value };
      return `:${attribute}${index}`;
    });
    terms.push(`#${attribute} IN (${placeholders.join(', ')})`);
  };
  oneOf('registryId', filter.registryIds);
  oneOf('exporterName', filter.exporterName === undefined ? undefined : [filter.exporterName]);
  oneOf('type', filter.types);
  if (terms.length === 0) return { values };
  return { FilterExpression: terms.join(' AND '), ExpressionAttributeNames: names, values };
}

function withValues(expression: Expression, keyValues: Record<string, AttributeValue>) {
  const { values, ...rest } = expression;
  return { ...rest, ExpressionAttributeValues: { ...keyValues, ...values } };
}

/** `DAY#yyyy-mm-dd` of every UTC day that overlaps [from, to), newest first. */
function daysNewestFirst(from: number, to: number): string[] {
  const days: string[] = [];
  for (let day = Math.floor((to - 1) / DAY_MS) * DAY_MS; day + DAY_MS > from; day -= DAY_MS) days.push(dayPk(day));
  return days;
}

async function queryAll(client: DynamoDBClient, input: QueryCommandInput, onPage: (items: MonitorEvent[]) => void): Promise<void> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    onPage((page.Items ?? []).map(toEvent));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}

function toEvent(raw: Record<string, AttributeValue>): MonitorEvent {
  const item = unmarshall(raw);
  return Object.fromEntries(Object.entries(item).filter(([key]) => !KEY_FIELDS.has(key))) as unknown as MonitorEvent;
}
