import { MAX_START_GROUP, PACING_JITTER_ALLOWANCE_MS, pacingFor } from '../../../lambda/registry/pacing.js';
import { clientFor, plentyOfTime, startSimulator, statusRequests } from './support.js';

/** The most of `times` (in order) that fall within any window of `windowMs`. */
function mostWithin(times: readonly number[], windowMs: number): number {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last += 1) {
    while (times[last]! - times[first]! >= windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
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

describe('pacing of starts', () => {
  // Every budget the configuration accepts (0.1 to 75 a second): the sliding window of p-queue's
  // strict mode lets at most intervalCap start in any interval, so a window of 1 s plus the
  // allowance holds at most intervalCap x ceil((1000 + allowance) / interval) starts. A whole budget
  // is a hard limit; a fractional one, like 2.5, allows the whole number above it (3) in some seconds.
  const budgets = [...Array.from({ length: 75 }, (_, index) => index + 1), 0.1, 0.5, 2.5, 7.5, 49.9, 74.5];

  test.each(budgets)('a budget of %p a second is never exceeded in any window of 1 s plus the jitter allowance', (budget) => {
    const { interval, intervalCap } = pacingFor(budget);
    const mostInWindow = intervalCap * Math.ceil((1000 + PACING_JITTER_ALLOWANCE_MS) / interval - 1e-9);
    expect(mostInWindow).toBeLessThanOrEqual(Math.ceil(budget));
    expect(intervalCap).toBeLessThanOrEqual(MAX_START_GROUP);
  });

  test('a whole budget is used in full, in groups: 50 a second go 5 at a time, 102 ms apart', () => {
    expect(pacingFor(50)).toEqual({ interval: 102, intervalCap: 5 });
    expect(pacingFor(20)).toEqual({ interval: 255, intervalCap: 5 });
    expect(pacingFor(12)).toEqual({ interval: 340, intervalCap: 4 });
    // A prime budget or a fraction has no group that divides it: one start at a time, as before.
    expect(pacingFor(7)).toEqual({ interval: 1020 / 7, intervalCap: 1 });
    expect(pacingFor(2.5)).toEqual({ interval: 408, intervalCap: 1 });
  });
});

describe('pacing against the registry budget', () => {
  test('20 reads at 10 requests per second: never more than 10 start in any second, at most 5 together, over at least 1.5 s', async () => {
    const simulator = await startSimulator();
    const names = simulator.addExporters(20, 'link-');
    // The first fetch of a process pays for its set-up and would arrive late.
    await (await fetch(`${simulator.baseUrl}/exporters`)).text();
    const sent = sendTimes();
    const client = clientFor(simulator, { requestsPerSecond: 10, concurrency: 4, fetch: sent.fetch });
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    expect(statusRequests(simulator)).toHaveLength(20);
    expect(mostWithin(sent.times, 1_000)).toBeLessThanOrEqual(10);
    // Groups of 5, 510 ms apart: the fourth starts 1.53 s after the first.
    expect(sent.times.at(-1)! - sent.times[0]!).toBeGreaterThanOrEqual(1_500);
    // A group is one burst; an unpaced client would start 8 at once here, or all 20 within 50 ms.
    expect(mostWithin(sent.times, 50)).toBeLessThanOrEqual(MAX_START_GROUP);
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
    // A budget of 3 a second: the three first tries go together, the fourth waits a second.
    const client = clientFor(simulator, { requestsPerSecond: 3, concurrency: 4, fetch: sent.fetch });
    expect((await client.getStatus('link', plentyOfTime)).kind).toBe('status');
    expect(client.sleeps).toHaveLength(3);
    expect(sent.times).toHaveLength(4);
    expect(mostWithin(sent.times, 1_000)).toBeLessThanOrEqual(3);
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
