/**
 * Plays the demo story of `npm start` (local/story.ts) into a persistent local store, as
 * `npm start` does, so the CLI can be run against real monitor output.
 */
import { playStory, STORY_START } from '../../../local/story.js';

export { STORY_END, STORY_START } from '../../../local/story.js';

export async function playDemoStory(statePath: string): Promise<void> {
  const notifier = { publish: async (events: readonly { id: string }[]) => ({ delivered: events.map((e) => e.id), failed: [], deferred: [] }) };
  await playStory({ notifier, statePath, start: STORY_START });
}
