import { readRegistry } from '../../../lambda/registry/read-registry.js';
import { clientFor, configFor, failureOf, plentyOfTime, startSimulator, statusRequests } from './support.js';

const TRICKY_NAMES = [
  'with space',
  `quote"and'apostrophe`,
  'slash/inside',
  '/leading-slash',
  'percent%20literal',
  '100%',
  'dots..inside',
  '../escape',
  './here',
  '...',
  'trailing.',
  'question?mark=1',
  'hash#tag',
  'back\\slash',
  'semi;colon,comma',
  'plus+sign&amp=1',
  'ünïcødé-名前-🚀',
  'tab\tand-newline\n',
];

describe('exporter names in request paths', () => {
  test.each(TRICKY_NAMES)('the registry receives exactly the name %j and its status comes back', async (name) => {
    const simulator = await startSimulator();
    simulator.setExporter({ name, state: 'RUNNING' });
    const observation = await clientFor(simulator).getStatus(name, plentyOfTime);
    expect(observation).toMatchObject({ kind: 'status', status: { name, state: 'RUNNING' } });
    const [request] = statusRequests(simulator);
    expect(request!.exporterName).toBe(name);
    expect(request!.path).toBe(`/exporters/${encodeURIComponent(name)}/status`);
  });

  test('names listed by the registry come back unchanged', async () => {
    const simulator = await startSimulator();
    for (const name of TRICKY_NAMES) simulator.setExporter({ name, state: 'RUNNING' });
    expect(await clientFor(simulator).listExporters(plentyOfTime)).toEqual(TRICKY_NAMES);
  });

  test.each(['.', '..'])('the name %j, which URL parsers would resolve to another path, is refused without a request', async (name) => {
    const simulator = await startSimulator();
    const client = clientFor(simulator);
    const failure = await failureOf(client.getStatus(name, plentyOfTime));
    expect(failure.kind).toBe('client-error');
    expect(failure.message).toContain('cannot be sent in a URL path');
    expect(client.requestCount).toBe(0);
    expect(simulator.stats.requests).toBe(0);
  });

  test('a listed name holding half a surrogate pair is a failure of that exporter only; the others are read', async () => {
    const simulator = await startSimulator();
    for (const name of ['orders', 'bad\uD800name', 'payments']) simulator.setExporter({ name, state: 'RUNNING' });
    const client = clientFor(simulator);

    const reading = await readRegistry(configFor(simulator.baseUrl), client, [], plentyOfTime);

    expect([...reading.observations.keys()].sort()).toEqual(['orders', 'payments']);
    expect(reading.failures).toHaveLength(1);
    const [failure] = reading.failures;
    expect(failure).toMatchObject({ kind: 'client-error', path: '/exporters/bad\\ud800name/status' });
    expect(failure!.message).toBe(
      'this exporter name is not valid Unicode (it holds half a surrogate pair) and cannot be sent in a URL path ' +
        '(GET /exporters/bad\\ud800name/status)',
    );
    // One line of well-formed text: it can be stored and sent like any other failure.
    expect(failure!.message).not.toMatch(/[\n\p{Cs}]/u);
    // The list and the two readable statuses: nothing was sent for the bad name.
    expect(reading.requestCount).toBe(3);
    expect(statusRequests(simulator).map((request) => request.exporterName).sort()).toEqual(['orders', 'payments']);
  });
});
