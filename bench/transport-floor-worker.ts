/**
 * The floor under the monitor's CPU per exporter: Node's own HTTP client, alone in its process,
 * reading the same statuses from the same simulator with the monitor's pacing and concurrency, and
 * nothing else (no retries, no state, no logging; JSON.parse of each answer). What the monitor
 * spends above it is its own work; what it cannot go below on this machine is this. It sends its
 * own GET with http.get rather than the monitor's nodeTransport (lambda/registry/transport.ts) on
 * purpose: the floor must be bare Node, with none of the monitor's code in it.
 */
import http from 'node:http';
import PQueue from 'p-queue';
import { pacingFor } from '../lambda/registry/pacing.js';
import { FLOOR_ENV, type FloorMessage, type FloorParameters, type FloorReply } from './protocol.js';

const parameters = JSON.parse(process.env[FLOOR_ENV] ?? '') as FloorParameters;
const agent = new http.Agent({ keepAlive: true });
const headers = { accept: 'application/json', authorization: parameters.authorization };
// One queue for every read, so back-to-back reads keep to the budget across their seam.
const queue = new PQueue({ concurrency: parameters.concurrency, ...pacingFor(parameters.requestsPerSecond), strict: true });

/** Resolves to the answer's HTTP status. */
function readStatus(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${parameters.baseUrl}/exporters/${encodeURIComponent(name)}/status`, { agent, headers }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          JSON.parse(text);
          resolve(response.statusCode ?? 0);
        });
      })
      .on('error', reject);
  });
}

async function readAll(): Promise<FloorReply> {
  const cpuBefore = process.cpuUsage();
  const statuses = await Promise.all(parameters.names.map((name) => queue.add(() => readStatus(name))));
  const cpu = process.cpuUsage(cpuBefore);
  const refused = statuses.filter((status) => status !== 200).length;
  return { type: 'read', requests: parameters.names.length, refused, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const send = (message: FloorMessage) => process.send?.(message);

process.on('message', (message: { readonly type: string }) => {
  if (message.type === 'exit') process.exit(0);
  readAll().then(send, (error: unknown) => send({ type: 'failed', error: String(error) }));
});
send({ type: 'ready' });
