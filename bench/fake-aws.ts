/**
 * SNS (PublishBatch) and Secrets Manager (GetSecretValue) on 127.0.0.1, for the runs that use the
 * real esbuild bundle: the bundle carries its own copy of the SDK, which aws-sdk-client-mock cannot
 * reach, so the function is pointed here with AWS_ENDPOINT_URL_SNS / _SECRETS_MANAGER instead.
 * Only what those two calls need; it counts what SNS received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAws {
  readonly endpoint: string;
  readonly published: { calls: number; entries: number };
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': 'bench' });
  response.end(body);
}

/** SNS speaks the AWS query protocol: a form body in, XML out. */
function publishBatch(form: URLSearchParams, published: FakeAws['published']): string {
  const ids = [...form.entries()].filter(([key]) => /^PublishBatchRequestEntries\.member\.\d+\.Id$/.test(key)).map(([, id]) => id);
  published.calls += 1;
  published.entries += ids.length;
  const members = ids.map((id) => `<member><Id>${id}</Id><MessageId>m-${published.entries}-${id}</MessageId></member>`).join('');
  return (
    '<PublishBatchResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishBatchResult>' +
    `<Successful>${members}</Successful><Failed/></PublishBatchResult>` +
    '<ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></PublishBatchResponse>'
  );
}

export async function startFakeAws(secrets: Readonly<Record<string, string>>): Promise<FakeAws> {
  const published = { calls: 0, entries: 0 };
  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const target = String(request.headers['x-amz-target'] ?? '');
      if (target === 'secretsmanager.GetSecretValue') {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        const value = secrets[SecretId];
        if (value === undefined) {
          reply(response, 400, 'application/x-amz-json-1.1', JSON.stringify({ __type: 'ResourceNotFoundException', message: 'not found' }));
          return;
        }
        const secret = { ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SecretId}`, Name: SecretId, SecretString: value, VersionId: 'v1' };
        reply(response, 200, 'application/x-amz-json-1.1', JSON.stringify(secret));
        return;
      }
      const form = new URLSearchParams(body);
      if (form.get('Action') === 'PublishBatch') {
        reply(response, 200, 'text/xml', publishBatch(form, published));
        return;
      }
      reply(response, 400, 'text/plain', `the benchmark's fake AWS does not know ${target || form.get('Action')}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    published,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
