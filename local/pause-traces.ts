/**
 * A paused exporter's trace for each cause of the taxonomy (core/pause-cause.ts), as the registry
 * returns them: the exception line its client prints (`message; error code: N`, codes from
 * Confluent's schema-registry Errors.java), then the exporter worker's frames. The IMPORT mode
 * line was seen in the wild; the others follow the same client's format with Errors.java's
 * messages. The simulator pauses exporters with them and the taxonomy's tests read them.
 */
import type { PauseCause } from '../lambda/core/pause-cause.js';

const REST_CLIENT_EXCEPTION = 'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException';

/** Where the exporter's worker calls the destination: the same for every cause. */
const WORKER_FRAMES = [
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.sendHttpRequest(RestService.java:336)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.httpRequest(RestService.java:409)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.registerSchema(RestService.java:597)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.registerSchema(RestService.java:581)',
  '\tat io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient.registerAndGetId(CachedSchemaRegistryClient.java:353)',
  '\tat io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient.register(CachedSchemaRegistryClient.java:498)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.registerSchema(SchemaExporterWorker.java:412)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.exportSubject(SchemaExporterWorker.java:365)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.exportContext(SchemaExporterWorker.java:318)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.startExport(SchemaExporterWorker.java:271)',
  '\tat io.confluent.schema.exporter.SchemaExporterWorker.run(SchemaExporterWorker.java:196)',
  '\tat io.confluent.schema.exporter.SchemaExporter.lambda$startExporter$4(SchemaExporter.java:503)',
  '\tat io.confluent.kafka.schemaregistry.storage.KafkaStore.lambda$forEach$1(KafkaStore.java:455)',
  '\tat java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)',
  '\tat java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)',
  '\tat java.base/java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask.run(ScheduledThreadPoolExecutor.java:304)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
  '\tat java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)',
  '\tat io.confluent.kafka.schemaregistry.utils.NamedThreadFactory.lambda$newThread$0(NamedThreadFactory.java:46)',
  '\tat java.base/java.lang.Thread.run(Thread.java:840)',
];

/** The frames of the JDK's HTTP connection where a network failure starts, before the worker's. */
const SOCKET_FRAMES = [
  '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
  '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)',
  '\tat java.base/sun.net.www.http.HttpClient.parseHTTP(HttpClient.java:789)',
  '\tat java.base/sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:1615)',
  '\tat java.base/java.net.HttpURLConnection.getResponseCode(HttpURLConnection.java:529)',
  '\tat java.base/sun.net.www.protocol.https.HttpsURLConnectionImpl.getResponseCode(HttpsURLConnectionImpl.java:308)',
];

const restClientTrace = (message: string, code: number) => [`${REST_CLIENT_EXCEPTION}: ${message}; error code: ${code}`, ...WORKER_FRAMES].join('\n');
const socketTrace = (exceptionLine: string) => [exceptionLine, ...SOCKET_FRAMES, ...WORKER_FRAMES].join('\n');

/** Several real shapes per cause: a classifier that knows only one of them fails its test. */
export const PAUSE_TRACES: Readonly<Record<PauseCause, readonly string[]>> = {
  'import-mode': [
    restClientTrace('Subject :.source.target:stock_trades-value is not in import mode', 42205),
    restClientTrace('Subject orders-value in context .dr is not in import mode', 42205),
  ],
  'id-conflict': [
    restClientTrace('Overwrite new schema with id 100042 is not permitted.', 42205),
    restClientTrace('Schema already registered with id 17 instead of input id 100042', 42207),
  ],
  'schema-too-large': [restClientTrace('Schema too large', 42209)],
  'destination-auth': [
    restClientTrace('Unauthorized', 401),
    restClientTrace('User is denied operation Write on Subject: orders-value', 40301),
  ],
  'rate-limited': [restClientTrace('Too Many Requests', 429)],
  'destination-unreachable': [
    socketTrace('java.net.SocketTimeoutException: Read timed out'),
    socketTrace('java.net.UnknownHostException: psrc-0dr00.eu-west-1.aws.confluent.cloud'),
    socketTrace('java.net.ConnectException: Connection refused'),
    restClientTrace('Service Unavailable', 503),
    restClientTrace('Internal Server Error', 50001),
  ],
  'no-error': [''],
  unknown: [
    [
      'java.lang.NullPointerException: Cannot invoke "io.confluent.kafka.schemaregistry.ParsedSchema.canonicalString()" because "schema" is null',
      ...WORKER_FRAMES.slice(6),
    ].join('\n'),
  ],
};

/** The trace a cause's first sample carries: what the simulator pauses an exporter with. */
export function traceOf(cause: PauseCause): string {
  return PAUSE_TRACES[cause][0]!;
}
