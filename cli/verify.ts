/**
 * `check --verify`: the monitor's drift comparison, once, from a laptop. Reads each RUNNING
 * exporter's definition and the source's subjects with the source's key, the destination's
 * subjects with the destination's own key, and prints what is missing where the exporter should
 * have put it. Writes nothing.
 */
import { compareScopes } from '../lambda/core/drift.js';
import type { ExporterObservation } from '../lambda/core/model.js';
import type { DriftReport } from '../lambda/core/replication-model.js';
import type { Deadline } from '../lambda/deadline.js';
import { readDefinitions, readLatestSchemas } from '../lambda/registry/read-replication.js';
import type { RegistryClient } from '../lambda/registry/registry-client.js';
import { CliError } from './errors.js';
import type { Column } from './output.js';

/** Differences a row names; the counts stay exact. */
const SHOWN_DIFFERENCES = 5;

export interface VerifyRow {
  readonly exporterName: string;
  readonly report: DriftReport;
}

export async function verifyDrift(
  source: RegistryClient,
  destination: RegistryClient,
  observations: ReadonlyMap<string, ExporterObservation>,
  deadline: Deadline,
): Promise<VerifyRow[]> {
  const running = [...observations].filter(([, observation]) => observation.kind === 'status' && observation.status.state === 'RUNNING').map(([name]) => name);
  const [definitions, sourceListing, destinationListing] = await Promise.all([
    readDefinitions(source, running, deadline),
    readLatestSchemas(source, deadline),
    readLatestSchemas(destination, deadline),
  ]);
  const failure = [...definitions.failures, ...sourceListing.failures].at(0);
  if (failure) throw new CliError(`--verify cannot read the source: ${failure.message}`);
  const [destinationFailure] = destinationListing.failures;
  if (destinationFailure) throw new CliError(`--verify cannot read the destination: ${destinationFailure.message}`);
  if (sourceListing.value === undefined || destinationListing.value === undefined) throw new CliError('--verify ran out of time before the listings were read: give it more --timeout');
  return running
    .filter((name) => definitions.value?.has(name))
    .map((name) => ({ exporterName: name, report: compareScopes(definitions.value!.get(name)!, sourceListing.value!, destinationListing.value!) }))
    .sort((a, b) => a.exporterName.localeCompare(b.exporterName));
}

function differences(report: DriftReport): string[] {
  return [
    ...report.missingSubjects.map((subject) => `${subject}: missing`),
    ...report.missingVersions.map((gap) => `${gap.subject}: v${gap.source} vs v${gap.destination}`),
    ...report.idMismatches.map((m) => `${m.subject} v${m.version}: id ${m.source} vs ${m.destination}`),
  ];
}

export const VERIFY_COLUMNS: Column<VerifyRow>[] = [
  { header: 'EXPORTER', value: (row) => row.exporterName, maxWidth: 48 },
  { header: 'COMPARED', value: (row) => String(row.report.compared), align: 'right' },
  { header: 'MISSING SUBJECTS', value: (row) => String(row.report.missingSubjects.length), align: 'right' },
  { header: 'VERSIONS BEHIND', value: (row) => String(row.report.missingVersions.length), align: 'right' },
  { header: 'ID MISMATCHES', value: (row) => String(row.report.idMismatches.length), align: 'right' },
  {
    header: 'FIRST DIFFERENCES',
    value: (row) => differences(row.report).slice(0, SHOWN_DIFFERENCES).join('; '),
    maxWidth: 80,
    color: (row, colors) => (differences(row.report).length > 0 ? colors.red : colors.green),
  },
];

export function verifyJson(row: VerifyRow): unknown {
  return { exporter: row.exporterName, ...row.report };
}
