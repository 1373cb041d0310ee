import { clientFor, failureOf, plentyOfTime, startSimulator, statusRequests } from './support.js';

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
});
