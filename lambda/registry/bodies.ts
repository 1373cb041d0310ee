/**
 * What a 200 must contain to be believed. A proxy's login page, a truncated body or another
 * exporter's status must become a monitor failure, never an exporter state.
 */
import type { ExporterStatus } from '../core/model.js';
import { InvalidBody } from './http.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseNames(body: unknown): string[] {
  if (!Array.isArray(body) || body.some((name) => typeof name !== 'string')) {
    throw new InvalidBody('the exporter list is not a JSON array of names');
  }
  return body as string[];
}

/** Accepts any `state` string: the Cloud spec marks the enum extensible, so new states must reach the policy. */
export function parseStatus(body: unknown, askedName: string): ExporterStatus {
  if (!isRecord(body)) throw new InvalidBody('the status is not a JSON object');
  const { name, state, offset, ts, trace } = body;
  if (name !== undefined && name !== askedName) throw new InvalidBody('the status names another exporter');
  if (typeof state !== 'string' || state === '') throw new InvalidBody('the status has no "state" string');
  return {
    name: askedName,
    state,
    offset: exactNumber(nullableField(offset, 'number', 'offset')),
    ts: exactNumber(nullableField(ts, 'number', 'ts')),
    trace: nullableField(trace, 'string', 'trace'),
  };
}

/**
 * `offset` is an int64: past 2^53 JSON.parse has already lost its precision (a Long.MAX_VALUE
 * sentinel, say). Such a number is unknown rather than wrong, and DynamoDB's marshalling would
 * refuse it, stopping every alert of its registry.
 */
function exactNumber(value: number | null): number | null {
  return value !== null && Math.abs(value) > Number.MAX_SAFE_INTEGER ? null : value;
}

function nullableField<T extends 'number' | 'string'>(
  value: unknown,
  type: T,
  field: string,
): (T extends 'number' ? number : string) | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== type || (type === 'number' && !Number.isFinite(value))) {
    throw new InvalidBody(`the status "${field}" is not a ${type} or null`);
  }
  return value as T extends 'number' ? number : string;
}
