import { summarizeTrace } from '../../../lambda/core/trace.js';
import { TRACE_EXCERPT_CHARS } from '../../../lambda/core/model.js';

const REAL_TRACE = [
  'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject :.source.target:stock_trades-value is not in import mode; error code: 42205',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.sendHttpRequest(RestService.java:314)',
  '\tat io.confluent.kafka.schemaregistry.client.rest.RestService.httpRequest(RestService.java:384)',
].join('\n');

describe('summarizeTrace', () => {
  it('takes the root cause and error code from a real exporter trace', () => {
    expect(summarizeTrace(REAL_TRACE)).toMatchObject({
      rootCause: expect.stringMatching(/^io\.confluent.*RestClientException: Subject .* is not in import mode; error code: 42205$/),
      errorCode: 42205,
    });
  });

  it('finds the exception below a log prefix or a "Caused by"', () => {
    const trace = 'org.apache.kafka.connect.errors.ConnectException: wrapper\n\tat x.y(Z.java:1)\nCaused by: java.net.UnknownHostException: psrc-1.example';
    expect(summarizeTrace(trace).rootCause).toBe('org.apache.kafka.connect.errors.ConnectException: wrapper');
  });

  it('reports nothing for an empty or absent trace', () => {
    expect(summarizeTrace('')).toEqual({ signature: '' });
    expect(summarizeTrace(null)).toEqual({ signature: '' });
  });

  it('gives the same signature to the same error with different numbers, and a new one to a new error', () => {
    const again = REAL_TRACE.replace('314', '999');
    expect(summarizeTrace(again).signature).toBe(summarizeTrace(REAL_TRACE).signature);
    expect(summarizeTrace(REAL_TRACE.replace('42205', '40403')).signature).not.toBe(summarizeTrace(REAL_TRACE).signature);
  });

  it('bounds the excerpt and the root cause whatever the trace size', () => {
    const huge = `java.lang.IllegalStateException: ${'x'.repeat(5000)}\n${'\tat a.b(C.java:1)\n'.repeat(60_000)}`;
    const summary = summarizeTrace(huge);
    expect(summary.excerpt!.length).toBe(TRACE_EXCERPT_CHARS);
    expect(summary.rootCause!.length).toBeLessThanOrEqual(300);
    expect(summary.signature.length).toBeLessThanOrEqual(200);
  });

  it('uses the first line when there is no exception line', () => {
    expect(summarizeTrace('\n  something odd happened\nmore').rootCause).toBe('something odd happened');
  });
});
