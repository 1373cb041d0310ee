/**
 * The taxonomy of pauses: every real trace shape of each cause is recognised as that cause, the
 * ambiguous 42205 is told apart by its words, and only causes a resume fixes are transient.
 */
import { observeExporter } from '../../../lambda/core/observe.js';
import { isTransient, PAUSE_CAUSES, pauseCause } from '../../../lambda/core/pause-cause.js';
import { PAUSE_TRACES } from '../../../local/pause-traces.js';

describe('pause causes', () => {
  test.each(PAUSE_CAUSES.flatMap((cause) => PAUSE_TRACES[cause].map((trace, index) => [cause, index, trace] as const)))(
    '%s: sample %i is recognised',
    (cause, _index, trace) => {
      expect(pauseCause(trace)).toBe(cause);
    },
  );

  test('42205 is IMPORT mode unless its words say an id is being overwritten', () => {
    expect(pauseCause('RestClientException: Subject orders-value is not in import mode; error code: 42205')).toBe('import-mode');
    expect(pauseCause('RestClientException: Overwrite new schema with id 7 is not permitted.; error code: 42205')).toBe('id-conflict');
  });

  test('the cause is read from the exception lines, a Caused by included, not from stack frames', () => {
    const wrapped = [
      'io.confluent.schema.exporter.SchemaExporterException: export failed',
      '\tat io.confluent.schema.exporter.SchemaExporterWorker.run(SchemaExporterWorker.java:196)',
      'Caused by: java.net.UnknownHostException: psrc-0dr00.eu-west-1.aws.confluent.cloud',
      '\tat java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1656)',
    ].join('\n');
    expect(pauseCause(wrapped)).toBe('destination-unreachable');
    // A frame's method name is no cause.
    expect(pauseCause('java.lang.IllegalStateException: bad state\n\tat x.Y.handleTimeoutException(Y.java:1)')).toBe('unknown');
  });

  test('an empty or missing trace means nobody failed: paused on purpose', () => {
    expect(pauseCause('')).toBe('no-error');
    expect(pauseCause('   \n')).toBe('no-error');
    expect(pauseCause(null)).toBe('no-error');
  });

  test('only an unreachable, slow or failing destination and a rate limit are transient', () => {
    expect(PAUSE_CAUSES.filter(isTransient)).toEqual(['rate-limited', 'destination-unreachable']);
  });

  test('a PAUSED status carries its cause; RUNNING with a stale trace carries none', () => {
    const trace = PAUSE_TRACES['rate-limited'][0]!;
    expect(observeExporter({ kind: 'status', status: { name: 'a', state: 'PAUSED', offset: 1, ts: 1, trace } }).pauseCause).toBe('rate-limited');
    expect(observeExporter({ kind: 'status', status: { name: 'a', state: 'RUNNING', offset: 1, ts: 1, trace } }).pauseCause).toBeUndefined();
  });
});
