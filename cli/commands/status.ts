/** `status`: every watched exporter of every registry as the monitor last confirmed it. */
import type { Command } from 'commander';
import { REGISTRY_OK, type Incident, type Silence, type SubjectRecord } from '../../lambda/core/model.js';
import { activeSilence } from '../../lambda/core/silence.js';
import type { CommandContext } from '../context.js';
import { readableCause } from '../incident-list.js';
import { withFormat, withRegistries } from '../options.js';
import { type Column, formatOf, type FormatOptions, render } from '../output.js';
import type { PauseCause } from '../../lambda/core/pause-cause.js';
import { pauseCauseColumn, resumeColumn, stateColor, subjectColumns } from '../present.js';
import { loadRegistries, type RegistryState } from '../reads.js';
import { formatDuration, formatTime, isoTime } from '../time.js';

const NOT_CHECKED = 'NOT CHECKED';

interface StatusRow {
  readonly registryId: string;
  readonly exporterName?: string;
  readonly state: string;
  /** Unknown for a registry whose access never failed: its record is written on the first change. */
  readonly since?: number;
  readonly incident?: Incident;
  readonly silence?: Silence;
  readonly lastCheck?: number;
  /** When the monitor last saw the exporter's offset move (stall and stuck detection). */
  readonly offsetMovedAt?: number;
  /** What the last drift comparison found missing, one line. */
  readonly drift?: string;
  readonly pauseCause?: PauseCause;
  /** Auto-resume attempts since the counter last reset. */
  readonly resumes?: { readonly attempts: number; readonly gaveUp: boolean; readonly lastAttemptAt: number };
}

export function registerStatus(program: Command, context: CommandContext): void {
  const command = program.command('status').description('every watched exporter: state, since when, open incident, muted until, last check');
  withFormat(withRegistries(command)).action(async (options: FormatOptions & { registry?: string[] }) => {
    const rows = (await loadRegistries(context, options.registry)).flatMap((registry) => statusRows(registry, context.now));
    render(context.io, formatOf(options), {
      rows,
      columns: columns(context.now),
      empty: 'No registry has been checked yet.',
      json: (row) => ({
        registry: row.registryId,
        exporter: row.exporterName ?? null,
        state: row.state,
        since: isoTime(row.since),
        incident: row.incident ? { id: row.incident.id, openedAt: isoTime(row.incident.openedAt), cause: readableCause(row.incident.cause) } : null,
        mutedUntil: isoTime(row.silence?.until),
        muteReason: row.silence?.reason ?? null,
        mutedBy: row.silence?.createdBy ?? null,
        lastCheck: isoTime(row.lastCheck),
        offsetMovedAt: isoTime(row.offsetMovedAt),
        drift: row.drift ?? null,
        pausedBecause: row.pauseCause ?? null,
        autoResume: row.resumes ? { attempts: row.resumes.attempts, lastAttemptAt: isoTime(row.resumes.lastAttemptAt), gaveUp: row.resumes.gaveUp } : null,
      }),
    });
  });
}

function statusRows({ registryId, snapshot }: RegistryState, now: number): StatusRow[] {
  const lastCheck = snapshot.lastRun?.at;
  const access = snapshot.monitor?.record;
  const registryRow: StatusRow = {
    registryId,
    // A registry's own record is written on its first change; before any run there is nothing at all.
    state: access?.state ?? (lastCheck === undefined ? NOT_CHECKED : REGISTRY_OK),
    ...(access && { since: access.since }),
    ...(access?.incident && { incident: access.incident }),
  };
  const exporterRows = [...snapshot.exporters.values()]
    .map(({ record }) => record)
    .sort((a, b) => (a.exporterName ?? '').localeCompare(b.exporterName ?? ''));
  return [registryRow, ...exporterRows].map((row) => {
    const silence = activeSilence(snapshot.silences, registryId, row.exporterName, now);
    return {
      registryId,
      ...(row.exporterName !== undefined && { exporterName: row.exporterName }),
      state: row.state,
      ...(row.since !== undefined && { since: row.since }),
      ...(row.incident && { incident: row.incident }),
      ...(silence && { silence }),
      ...(lastCheck !== undefined && { lastCheck }),
      ...('replication' in row && progressOf(row)),
      ...(row.pauseCause !== undefined && { pauseCause: row.pauseCause }),
      ...('autoResume' in row && resumesOf(row)),
    };
  });
}

function progressOf(record: Pick<SubjectRecord, 'replication'>): Pick<StatusRow, 'offsetMovedAt' | 'drift'> {
  const movedAt = record.replication?.progress?.movedAt;
  const summary = record.replication?.drift?.summary;
  return {
    ...(movedAt !== undefined && { offsetMovedAt: movedAt }),
    ...(summary !== undefined && {
      drift: `${summary.missingSubjects} subject(s), ${summary.missingVersions} version(s) missing at ${summary.destination}`,
    }),
  };
}

function resumesOf({ autoResume }: Pick<SubjectRecord, 'autoResume'>): Pick<StatusRow, 'resumes'> {
  return autoResume === undefined ? {} : { resumes: { attempts: autoResume.attempts, lastAttemptAt: autoResume.lastAttemptAt, gaveUp: autoResume.gaveUpAt !== undefined } };
}

function columns(now: number): Column<StatusRow>[] {
  const ago = (at: number | undefined) => (at === undefined ? '' : `${formatTime(at)} (${formatDuration(now - at)} ago)`);
  return [
    ...subjectColumns<StatusRow>(),
    { header: 'STATE', value: (row) => row.state, color: (row, colors) => stateColor(row.state, colors) },
    { header: 'SINCE', value: (row) => ago(row.since) },
    {
      header: 'INCIDENT',
      value: (row) => (row.incident ? `open ${formatDuration(now - row.incident.openedAt)}: ${readableCause(row.incident.cause)}` : ''),
      maxWidth: 60,
      color: (_row, colors) => colors.red,
    },
    {
      header: 'MUTED UNTIL',
      value: (row) => (row.silence ? `${formatTime(row.silence.until)} (${row.silence.reason})` : ''),
      maxWidth: 48,
      color: (_row, colors) => colors.dim,
    },
    pauseCauseColumn<StatusRow>((row) => row.pauseCause),
    resumeColumn<StatusRow>((row) => row.resumes),
    { header: 'OFFSET MOVED', value: (row) => (row.offsetMovedAt === undefined ? '' : `${formatDuration(now - row.offsetMovedAt)} ago`) },
    { header: 'DRIFT', value: (row) => row.drift ?? '', maxWidth: 48, color: (_row, colors) => colors.yellow },
    { header: 'LAST CHECK', value: (row) => ago(row.lastCheck) },
  ];
}
