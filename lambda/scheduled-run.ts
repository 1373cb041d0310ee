/**
 * What starts a run: each registry has a schedule of its own (lib/exporter-monitor.ts) whose input names it,
 * so one invocation reads one registry and a slow, failing or very large registry never delays another.
 * An invocation without it (by hand, or `npm start`) reads every registry.
 */

/** The field of the schedule's input that names the registry to read. */
export const SCHEDULED_REGISTRY_FIELD = 'registryId';

/** The registry an invocation's event names; undefined for "every registry". Throws on an event that names one badly. */
export function scheduledRegistryOf(event: unknown): string | undefined {
  if (event === null || typeof event !== 'object' || !(SCHEDULED_REGISTRY_FIELD in event)) return undefined;
  const registryId = (event as Record<string, unknown>)[SCHEDULED_REGISTRY_FIELD];
  if (typeof registryId !== 'string' || registryId === '') {
    throw new Error(`the invocation's ${SCHEDULED_REGISTRY_FIELD} must be a registry id, got ${JSON.stringify(registryId)?.slice(0, 100)}`);
  }
  return registryId;
}
