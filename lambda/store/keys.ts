/**
 * The table's single-table layout, shared by the function and the CLI.
 *
 * | item            | pk                     | sk                        | gsi1pk (history-by-day) | gsi1sk        |
 * |-----------------|------------------------|---------------------------|-------------------------|---------------|
 * | exporter record | REG#<registry>         | EXP#<exporter>            |                         |               |
 * | registry record | REG#<registry>         | MONITOR                   |                         |               |
 * | last run        | REG#<registry>         | RUN                       |                         |               |
 * | silence         | REG#<registry>         | SILENCE# or SILENCE#EXP#<exporter> |                |               |
 * | history event   | HIST#<registry>[#<exporter>] | <ISO time>#<event id> | DAY#<yyyy-mm-dd>        | <ISO time>#<event id> |
 *
 * One Query on REG#<registry> returns everything a run needs (records, silences) in as few
 * pages as possible; history is per exporter by time, and per day across registries through the
 * index, so neither the function nor the CLI ever scans. Registry ids cannot contain `#`, so
 * `HIST#<registry>#<exporter>` is unambiguous whatever the exporter name.
 */
import { createHash } from 'node:crypto';

export const HISTORY_BY_DAY_INDEX = 'history-by-day';
export const MONITOR_SK = 'MONITOR';
export const RUN_SK = 'RUN';
const SILENCE_PREFIX = 'SILENCE#';
const EXPORTER_PREFIX = 'EXP#';

/** DynamoDB caps a sort key at 1,024 bytes; longer names are keyed by their hash (the item keeps the full name). */
const MAX_NAME_BYTES = 512;

export function nameKey(exporterName: string): string {
  if (Buffer.byteLength(exporterName) <= MAX_NAME_BYTES) return exporterName;
  return `~sha256:${createHash('sha256').update(exporterName).digest('hex')}`;
}

export function registryPk(registryId: string): string {
  return `REG#${registryId}`;
}

export function subjectSk(exporterName: string | undefined): string {
  return exporterName === undefined ? MONITOR_SK : `${EXPORTER_PREFIX}${nameKey(exporterName)}`;
}

export function silenceSk(exporterName: string | undefined): string {
  return exporterName === undefined ? SILENCE_PREFIX : `${SILENCE_PREFIX}${EXPORTER_PREFIX}${nameKey(exporterName)}`;
}

export function isExporterSk(sk: string): boolean {
  return sk.startsWith(EXPORTER_PREFIX);
}

export function isSilenceSk(sk: string): boolean {
  return sk.startsWith(SILENCE_PREFIX);
}

export function historyPk(registryId: string, exporterName: string | undefined): string {
  return exporterName === undefined ? `HIST#${registryId}` : `HIST#${registryId}#${nameKey(exporterName)}`;
}

export function historySk(at: number, eventId: string): string {
  return `${new Date(at).toISOString()}#${eventId}`;
}

export function dayPk(at: number): string {
  return `DAY#${new Date(at).toISOString().slice(0, 10)}`;
}
