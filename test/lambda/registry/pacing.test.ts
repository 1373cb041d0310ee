import { PACING_JITTER_ALLOWANCE_MS, type ScheduleTime, StartSchedule, startSpacingMs } from '../../../lambda/registry/pacing.js';
import { clientFor, plentyOfTime, startSimulator, statusRequests } from './support.js';

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - times[index]!);
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * Records when the client sends each request: arrival times at the simulator share this process's
 * event loop, so a busy test machine bunches them more than it does send times.
 */
function sendTimes(): { readonly fetch: typeof fetch; readonly times: number[] } {
  const times: number[] = [];
  return {
    times,
    fetch: (input, init) => {
      times.push(performance.now());
      return fetch(input, init);
    },
  };
}

describe('pacing against the registry budget', () => {
  test('20 reads at 10 requests per second are spread evenly over at least 1.9 s', async () => {
    const simulator = await startSimulator();
    const names = simulator.addExporters(20, 'link-');
    // The first fetch of a process pays for its set-up and would arrive late.
    await (await fetch(`${simulator.baseUrl}/exporters`)).text();
    const sent = sendTimes();
    const client = clientFor(simulator, { requestsPerSecond: 10, concurrency: 4, fetch: sent.fetch });
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    const arrivals = statusRequests(simulator).map((request) => request.at);
    expect(arrivals).toHaveLength(20);
    // 19 gaps of 102 ms are 1.94 s; the slack covers a late first arrival on a busy machine.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(1_800);
    // Evenly spaced, never two together (an unpaced burst has gaps of a few ms); the low bound
    // leaves room for a GC pause between a start and its send on a busy machine.
    expect(median(gaps(sent.times))).toBeGreaterThanOrEqual(100);
    expect(Math.min(...gaps(sent.times))).toBeGreaterThanOrEqual(20);
  });

  test('a budget below the registry rate limit never meets a 429', async () => {
    const simulator = await startSimulator({ requestsPerSecond: 10 });
    const names = simulator.addExporters(12, 'link-');
    const client = clientFor(simulator, { requestsPerSecond: 8, concurrency: 4 });
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    expect(simulator.stats).toMatchObject({ overBudget: 0, requests: 12 });
  });

  test('retries wait for their paced turn too', async () => {
    const simulator = await startSimulator();
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    simulator.injectFault({ path: '/exporters/link/status', status: 503, times: 3 });
    const sent = sendTimes();
    const client = clientFor(simulator, { requestsPerSecond: 5, concurrency: 4, fetch: sent.fetch });
    expect((await client.getStatus('link', plentyOfTime)).kind).toBe('status');
    expect(client.sleeps).toHaveLength(3);
    expect(sent.times).toHaveLength(4);
    expect(median(gaps(sent.times))).toBeGreaterThanOrEqual(200);
    expect(Math.min(...gaps(sent.times))).toBeGreaterThanOrEqual(100);
  });

  test('no more than `concurrency` requests are in flight at once', async () => {
    const simulator = await startSimulator({ latencyMs: 50 });
    const names = simulator.addExporters(12, 'link-');
    let inFlight = 0;
    let mostInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const client = clientFor(simulator, { concurrency: 3, fetch: countingFetch });
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    expect(mostInFlight).toBe(3);
  });
});

/** A clock that moves only when the schedule waits: each wait ends `lateness(n)` ms after it asked to (negative: early). */
function scriptedTime(lateness: (wait: number) => number): ScheduleTime & { readonly waits: number[]; at: number } {
  const time = {
    at: 0,
    waits: [] as number[],
    now: () => time.at,
    wait: async (ms: number) => {
      time.at += ms + lateness(time.waits.length);
      time.waits.push(ms);
    },
  };
  return time;
}

/** Start times of `count` turns taken one after the other, as requests answered at once would take them. */
async function serialStarts(schedule: StartSchedule, time: { now: () => number }, count: number): Promise<number[]> {
  const starts: number[] = [];
  for (let turn = 0; turn < count; turn += 1) {
    await schedule.turn();
    starts.push(time.now());
  }
  return starts;
}

describe('the start schedule', () => {
  const spacing = startSpacingMs(50);

  test('a timer that fires late delays that start only, not every later one', async () => {
    const time = scriptedTime(() => 1.6);
    const starts = await serialStarts(new StartSchedule(spacing, time), time, 50);
    // 49 turns of 20.4 ms: p-queue's window, counted from each late start, ended 49 x 1.6 ms later.
    expect(starts.at(-1)! - starts[0]!).toBeLessThanOrEqual(49 * spacing + 1.6);
    starts.forEach((start, turn) => expect(start).toBeGreaterThanOrEqual(starts[0]! + turn * spacing));
  });

  test('a timer that fires early is waited out: no start before its turn', async () => {
    const time = scriptedTime((wait) => (wait % 2 === 0 ? -0.7 : 0));
    const starts = await serialStarts(new StartSchedule(spacing, time), time, 20);
    starts.forEach((start, turn) => expect(start).toBeGreaterThanOrEqual(turn * spacing));
  });

  test('with timers late by up to the jitter allowance, no 1 s window holds more than the budget', async () => {
    // A fixed, uneven schedule of lateness below the allowance: 0, 7, 14, 19.9, 3.5, ...
    const time = scriptedTime((wait) => ((wait * 7) % 20) * ((PACING_JITTER_ALLOWANCE_MS - 0.1) / 19));
    const starts = await serialStarts(new StartSchedule(spacing, time), time, 300);
    const busiest = Math.max(...starts.map((from) => starts.filter((start) => start >= from && start < from + 1000).length));
    expect(busiest).toBe(50);
  });

  test('after an idle spell the next request starts at once, and the ones after it are spaced again', async () => {
    const time = scriptedTime(() => 0);
    const schedule = new StartSchedule(spacing, time);
    await schedule.turn();
    time.at += 5_000;
    const starts = await serialStarts(schedule, time, 3);
    [5_000, 5_000 + spacing, 5_000 + 2 * spacing].forEach((expected, turn) => expect(starts[turn]).toBeCloseTo(expected, 6));
  });

  test('a stop while waiting for a turn ends the wait', async () => {
    const schedule = new StartSchedule(10_000);
    await schedule.turn();
    const stop = new AbortController();
    const waiting = schedule.turn(stop.signal);
    stop.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
  });
});
