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
export const DEMO_POLICY = { unhealthyChecks: 2, recoveryChecks: 1, stuckAfterMinutes: 6, reminderIntervalMinutes: 8 };

export const INITIAL_EXPORTERS = [
  { name: 'orders-link', state: 'RUNNING', offset: 1_204 },
  { name: 'payments-link', state: 'RUNNING', offset: 877 },
  { name: 'audit-link', state: 'RUNNING', offset: 350 },
  { name: 'search-link', state: 'STARTING', offset: -1 },
];

export interface StoryWorld {
  readonly simulator: RegistrySimulator;
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
  { minute: 3, narration: 'orders-link is still PAUSED on the second check: now it is worth an alert.', act: () => {} },
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
  { minute: 6, narration: 'search-link has been STARTING for 6 minutes, past the dwell limit.', act: () => {} },
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
  const simulator = await RegistrySimulator.start({
    auth: { kind: 'basic', apiKey: goodCredentials.apiKey, apiSecret: goodCredentials.apiSecret },
  });
  for (const exporter of INITIAL_EXPORTERS) simulator.setExporter(exporter);
  const credentials = new Map<string, RegistryCredentials>([[DEMO_REGISTRY_ID, goodCredentials]]);
  const config = parseMonitorConfig({
    registries: [
      { id: DEMO_REGISTRY_ID, baseUrl: simulator.baseUrl, allowInsecureHttp: true, auth: { kind: 'basic', secretId: 'demo' }, policy: DEMO_POLICY },
    ],
  });
  const start = options.start ?? Math.floor(Date.now() / 60_000) * 60_000 - STORY_MS;
  let monitor: LocalMonitor | undefined;
  try {
    monitor = await startLocalMonitor({ config, credentials, notifier: options.notifier, ...(options.statePath && { statePath: options.statePath }) });
    options.onStart?.(simulator, monitor);
    const reports: RunReport[] = [];
    for (const step of STORY) {
      options.beforeStep?.(step);
      step.act({ simulator, credentials });
      reports.push(await monitor.run(() => start + step.minute * 60_000));
      if (options.pauseMs) await sleep(options.pauseMs);
    }
    return reports;
  } finally {
    await monitor?.close();
    await simulator.close();
  }
}
