import type { MonitorFailureKind } from '../../../lambda/core/model.js';
import { emailText } from '../../../lambda/notify/messages.js';
import { EXAMPLE_BASE_URL, EXAMPLE_CONTEXT, exampleEvent } from '../../../local/example-events.js';
import { paused } from '../../support/paused-example.js';

describe('email text', () => {
  it('a stuck exporter email explains that a first export takes long, and offers no resume', () => {
    const text = emailText(exampleEvent('stuck'), EXAMPLE_CONTEXT);
    expect(text).toContain('has been STARTING for 30m');
    expect(text).toContain('4,000 schemas');
    expect(text).not.toContain('exporter resume');
  });

  it('a disappeared exporter email lists the exporters that exist instead of a status that does not', () => {
    const text = emailText(exampleEvent('disappeared'), EXAMPLE_CONTEXT);
    expect(text).toContain('404 with error code 40450');
    expect(text).toContain('confluent schema-registry exporter list');
    expect(text).not.toContain('Offset:');
    expect(text).not.toContain('status describe');
  });

  it('an exporter name too long to quote gets no command that would act on a shortened name', () => {
    const name = `orders-${'x'.repeat(400)}`;
    const text = emailText(paused({ exporterName: name }), EXAMPLE_CONTEXT);
    expect(text).toContain('407 characters long');
    expect(text).not.toContain('exporter resume');
    expect(text).toContain('confluent schema-registry exporter list');
  });

  it.each<[MonitorFailureKind, RegExp]>([
    ['credentials', /secret in Secrets Manager.*API key/],
    ['not-found', /base URL is wrong.*exporter API/],
    ['rate-limited', /lower requestsPerSecond/],
    ['server-error', /outage/],
    ['timeout', /requestTimeoutMs/],
    ['network', /could not connect/],
    ['invalid-response', /not the exporter API/],
    ['redirect', /never follows/],
    ['client-error', /refused the request/],
    ['configuration', /configuration is incomplete/],
  ])('a monitor failure of kind %s explains what it means and what to check', (kind, advice) => {
    const text = emailText(exampleEvent('monitor-degraded', { failure: { kind, message: 'it failed', httpStatus: 418, requestId: 'req-42' } }), EXAMPLE_CONTEXT);
    expect(text).toMatch(advice);
    expect(text).toContain(`The monitor cannot read registry prod (${kind}): it failed`);
    expect(text).toMatch(new RegExp(`Failure: +${kind}, HTTP 418`));
    expect(text).toMatch(/Request id: +req-42/);
    expect(text).toContain(`curl -u "$API_KEY:$API_SECRET" -i ${EXAMPLE_BASE_URL}/exporters`);
    expect(text).not.toContain('Exporter:');
  });
});
