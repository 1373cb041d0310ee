/**
 * The demo `npm start` plays with no configuration: a simulated registry whose exporters go
 * through a short, scripted bad day while the real monitor code watches it. Each step is one
 * monitor run, one simulated minute apart, so debounce, dwell limits and reminders show in seconds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseMonitorConfig } from '../lambda/config.js';
import type { RunReport } from '../lambda/monitor.js';
import type { Notifier } from '../lambda/notify/notifier.js';
import type { RegistryCredentials } from '../lambda/registry/registry-client.js';
import { type LocalMonitor, startLocalMonitor } from './local-runtime.js';
import { RegistrySimulator, SAMPLE_TRACE } from './simulator.js';

export const DEMO_REGISTRY_ID = 'demo';
export const DEMO_API_KEY = 'DEMOKEY';
export const DEMO_API_SECRET = 'demo-secret-not-for-production';

/** Short limits so the story fits in a minute of wall time; the README lists the real defaults. */
export const DEMO_POLICY = {
  unhealthyChecks: 2,
  recoveryChecks: 1,
  stuckAfterMinutes: 6,
  reminderIntervalMinutes: 8,
  stallAfterMinutes: 3,
  sourceCheckMinutes: 1,
  driftCheckMinutes: 1,
  driftGraceMinutes: 3,
};

/**
 * Auto-resume on, with the back-off capped at 3 minutes so the flapping chapter gives up within
 * the story (the default cap is 60).
 */
export const DEMO_AUTO_RESUME = { enabled: true, backoffCapMinutes: 3 };

/** The registry orders-link and payments-link copy to, read only to verify what arrived. */
export const DEMO_DESTINATION_ID = 'dr';
/** Where the linked exporters put their subjects at the destination (contextType CUSTOM). */
const DEMO_DESTINATION_CONTEXT = '.dr';
/** Each linked exporter copies its own subjects (contextType CUSTOM, into DEMO_DESTINATION_CONTEXT). */
const LINKED_EXPORTERS: Readonly<Record<string, readonly string[]>> = {
  'orders-link': ['orders-*'],
  'payments-link': ['payments-*'],
  'search-link': ['search-*'],
};
/** The subjects at the source when the story starts. */
const INITIAL_SUBJECTS = ['orders-value', 'payments-value', 'search-value'];

export const INITIAL_EXPORTERS = [
  { name: 'orders-link', state: 'RUNNING', offset: 1_204 },
  { name: 'payments-link', state: 'RUNNING', offset: 877 },
  { name: 'audit-link', state: 'RUNNING', offset: 350 },
  { name: 'search-link', state: 'STARTING', offset: -1 },
];

export interface StoryWorld {
  readonly simulator: RegistrySimulator;
  /** The registry the linked exporters copy to. */
  readonly destination: RegistrySimulator;
  /** The credentials the monitor uses; the story breaks and mends them. */
  readonly credentials: Map<string, RegistryCredentials>;
}

export interface StoryStep {
  readonly minute: number;
  readonly narration: string;
  act(world: StoryWorld): void;
}

const goodCredentials = { kind: 'basic', apiKey: DEMO_API_KEY, apiSecret: DEMO_API_SECRET } as const satisfies RegistryCredentials;

export const STORY: readonly StoryStep[] = [
  { minute: 0, narration: 'The monitor sees four exporters for the first time; healthy ones are recorded silently.', act: () => {} },
  {
    minute: 1,
    narration: 'payments-link pauses for a single check (a blip).',
    act: ({ simulator }) => simulator.setExporter({ name: 'payments-link', state: 'PAUSED', offset: 877, trace: SAMPLE_TRACE }),
  },
  {
    minute: 2,
    narration: 'payments-link is back; orders-link fails on a subject that is not in import mode.',
    act: ({ simulator }) => {
      simulator.setExporter({ name: 'payments-link', state: 'RUNNING', offset: 880 });
      simulator.setExporter({ name: 'orders-link', state: 'PAUSED', offset: 1_210, trace: SAMPLE_TRACE });
    },
  },
  {
    minute: 3,
    narration: 'orders-link is still PAUSED on the second check: an alert. Auto-resume is on, but a subject not in IMPORT mode is not fixed by a resume: the message says so, and what to do instead.',
    act: () => {},
  },
  {
    minute: 4,
    narration: 'The registry answers one 500 and one 429 with rate-limit headers; retries absorb both.',
    act: ({ simulator }) => {
      const error = (code: number, message: string) => JSON.stringify({ error_code: code, message });
      simulator.injectFault({ path: /\/exporters\/orders-link\/status$/, status: 500, body: error(50001, 'Error in the backend data store') });
      simulator.injectFault({
        path: /\/exporters\/payments-link\/status$/,
        status: 429,
        body: error(429, 'Rate limit exceeded'),
        headers: { 'Retry-After': '1', 'X-RateLimit-Limit': '75', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1' },
      });
    },
  },
  { minute: 5, narration: 'A quiet minute: nothing changed, nothing is written, nothing is sent.', act: () => {} },
  { minute: 6, narration: 'search-link has been STARTING for 6 minutes without its offset moving: stuck.', act: () => {} },
  {
    minute: 7,
    narration: "Someone rotates the registry's API key but not the monitor's secret: every request gets 401.",
    act: ({ credentials }) => credentials.set(DEMO_REGISTRY_ID, { ...goodCredentials, apiSecret: 'rotated-away' }),
  },
  { minute: 8, narration: 'Still 401: one "monitor degraded" alert for the registry, not one per exporter.', act: () => {} },
  {
    minute: 9,
    narration: "The monitor's secret is updated; it reads the registry again. audit-link is deleted.",
    act: ({ credentials, simulator }) => {
      credentials.set(DEMO_REGISTRY_ID, goodCredentials);
      simulator.removeExporter('audit-link');
    },
  },
  { minute: 10, narration: 'audit-link is still gone (404, error code 40450) on the second check.', act: () => {} },
  { minute: 11, narration: 'orders-link has been PAUSED for a while: a reminder.', act: () => {} },
  {
    minute: 12,
    narration: 'An operator resumes orders-link, and search-link finishes its initial export.',
    act: ({ simulator }) => {
      simulator.setExporter({ name: 'orders-link', state: 'RUNNING', offset: 1_260 });
      simulator.setExporter({ name: 'search-link', state: 'RUNNING', offset: 4_096 });
      simulator.freezeExporter('search-link', false);
    },
  },
  {
    minute: 13,
    narration: 'Schema Linking: a producer registers a new version of payments-value, but payments-link has silently stopped copying: RUNNING, its offset frozen.',
    act: ({ simulator }) => {
      simulator.freezeExporter('payments-link');
      simulator.addSchema('payments-value');
    },
  },
  {
    minute: 14,
    narration: 'orders-link copies, but a new subject, orders-audit-value, never reaches the DR registry (an id taken there, say).',
    act: ({ simulator }) => {
      simulator.skipSubject('orders-link', 'orders-audit-value');
      simulator.addSchema('orders-audit-value');
    },
  },
  { minute: 15, narration: 'Both exporters still say RUNNING.', act: () => {} },
  { minute: 16, narration: "payments-link's offset has not moved in the 3 minutes since the source changed: STALLED on this check.", act: () => {} },
  { minute: 17, narration: 'STALLED on the second check too: an alert, although the registry says RUNNING.', act: () => {} },
  { minute: 18, narration: 'orders-audit-value is still missing at the DR registry after the grace time: a drift alert that names it.', act: () => {} },
  {
    minute: 19,
    narration: 'payments-link is restarted and copies the new version: its offset moves, the stall is over.',
    act: ({ simulator }) => simulator.freezeExporter('payments-link', false),
  },
  {
    minute: 20,
    narration: 'An operator copies orders-audit-value to the DR registry by hand: the destination holds everything again.',
    act: ({ simulator, destination }) => {
      const copied = simulator.latestSchema('orders-audit-value')!;
      destination.addSchema(`:${DEMO_DESTINATION_CONTEXT}:orders-audit-value`, copied.id);
    },
  },
  {
    minute: 21,
    narration: 'search-link pauses: the DR registry stopped answering (java.net.SocketTimeoutException), a cause a resume fixes.',
    act: ({ simulator }) => simulator.pauseExporter('search-link', 'destination-unreachable'),
  },
  { minute: 22, narration: 'Second check: an alert, and the monitor resumes search-link by itself (attempt 1 of 3), in the same thread.', act: () => {} },
  { minute: 23, narration: 'search-link is RUNNING again: recovered, with nobody woken up.', act: () => {} },
  {
    minute: 24,
    narration: 'payments-link pauses on a rate limit at the DR registry, which keeps refusing it: every resume pauses it again at once.',
    act: ({ simulator }) => {
      simulator.pauseExporter('payments-link', 'rate-limited');
      simulator.relapseExporter('payments-link');
    },
  },
  { minute: 25, narration: 'An alert, and attempt 1 of 3 at once.', act: () => {} },
  { minute: 27, narration: 'Still PAUSED: attempt 2 after a back-off of 2 minutes (n*n + n).', act: () => {} },
  { minute: 30, narration: 'Still PAUSED: attempt 3, the last (the demo caps the back-off at 3 minutes).', act: () => {} },
  { minute: 33, narration: 'Still PAUSED after the last attempt: the monitor gives up, critically: a person must look.', act: () => {} },
  {
    minute: 34,
    narration: 'A person finds the rate limit, has it raised, and resumes payments-link: it copies again.',
    act: ({ simulator }) => {
      simulator.relapseExporter('payments-link', false);
      simulator.setExporter({ name: 'payments-link', state: 'RUNNING', offset: 900 });
    },
  },
];


const STORY_MS = (STORY.at(-1)!.minute + 1) * 60_000;
/** A fixed clock for tests: one run per simulated minute from here. */
export const STORY_START = Date.UTC(2026, 10, 26, 9, 0, 0);
export const STORY_END = STORY_START + STORY_MS;

export interface PlayStoryOptions {
  readonly notifier: Notifier;
  /** Folder of a persistent store, so the CLI can read the story afterwards; in memory when absent. */
  readonly statePath?: string;
  /** Called once the simulator and the store are up. */
  readonly onStart?: (simulator: RegistrySimulator, monitor: LocalMonitor) => void;
  /** Called before each step's run, for narration. */
  readonly beforeStep?: (step: StoryStep) => void;
  /** Wall-clock pause after each run, so a person can follow. */
  readonly pauseMs?: number;
  /**
   * When the story's first minute is. Default: so that it ends now, and the CLI run right after
   * shows it as the recent past.
   */
  readonly start?: number;
}

/** Plays the whole story with the real monitor code; returns each run's report. */
export async function playStory(options: PlayStoryOptions): Promise<RunReport[]> {
  const start = options.start ?? Math.floor(Date.now() / 60_000) * 60_000 - STORY_MS;
  // The registries keep the story's clock, so the times they report are the story's.
  let now = start;
  const clock = () => now;
  const simulator = await RegistrySimulator.start({
    auth: { kind: 'basic', apiKey: goodCredentials.apiKey, apiSecret: goodCredentials.apiSecret },
    now: clock,
  });
  const destination = await RegistrySimulator.start({ now: clock });
  for (const exporter of INITIAL_EXPORTERS) simulator.setExporter(exporter);
  for (const subject of INITIAL_SUBJECTS) simulator.addSchema(subject);
  for (const [name, subjects] of Object.entries(LINKED_EXPORTERS)) {
    simulator.linkExporter(name, destination, { subjects, contextType: 'CUSTOM', context: DEMO_DESTINATION_CONTEXT });
  }
  // Its first export makes no progress until minute 12: STARTING, its offset still.
  simulator.freezeExporter('search-link');
  const credentials = new Map<string, RegistryCredentials>([[DEMO_REGISTRY_ID, goodCredentials]]);
  const config = parseMonitorConfig({
    registries: [
      { id: DEMO_REGISTRY_ID, baseUrl: simulator.baseUrl, allowInsecureHttp: true, auth: { kind: 'basic', secretId: 'demo' }, policy: DEMO_POLICY, autoResume: DEMO_AUTO_RESUME },
      { id: DEMO_DESTINATION_ID, baseUrl: destination.baseUrl, allowInsecureHttp: true, exporters: 'none' },
    ],
  });
  let monitor: LocalMonitor | undefined;
  try {
    monitor = await startLocalMonitor({ config, credentials, notifier: options.notifier, ...(options.statePath && { statePath: options.statePath }) });
    options.onStart?.(simulator, monitor);
    const reports: RunReport[] = [];
    for (const step of STORY) {
      now = start + step.minute * 60_000;
      options.beforeStep?.(step);
      step.act({ simulator, destination, credentials });
      reports.push(await monitor.run(clock));
      if (options.pauseMs) await sleep(options.pauseMs);
    }
    return reports;
  } finally {
    await monitor?.close();
    await Promise.all([simulator.close(), destination.close()]);
  }
}
