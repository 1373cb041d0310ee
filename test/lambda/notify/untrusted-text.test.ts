import { emailText, messageAttributes, snsMessage, subject } from '../../../lambda/notify/messages.js';
import { line, lines } from '../../../lambda/notify/untrusted-text.js';
import { EXAMPLE_CONTEXT } from '../../../local/example-events.js';
import { paused } from '../../support/paused-example.js';

describe('text from the registry', () => {
  it('a lone surrogate becomes U+FFFD, so SNS accepts the text', () => {
    expect(line('a\ud800b\udc00c', 10)).toBe('a\ufffdb\ufffdc');
  });

  it('shortening never cuts a surrogate pair in half', () => {
    expect(line(`ab${'\u{1f680}'.repeat(10)}`, 8)).toBe('ab\u{1f680}...');
  });

  it('a trace keeps its line breaks and tabs; anything else invisible becomes a space', () => {
    expect(lines('a\r\n\tb\u202ec\rd', 100)).toBe('a\n\tb c\nd');
  });
});

describe('subject line', () => {
  it('a long exporter name is shortened with "..." and the state change stays readable', () => {
    const line = subject(paused({ exporterName: `orders-${'x'.repeat(300)}` }));
    expect(line.length).toBeLessThan(100);
    expect(line).toMatch(/^\[prod\] orders-x+\.\.\. RUNNING -> PAUSED$/);
  });

  it('accents, emoji and line breaks in an exporter name cannot make SNS reject the subject', () => {
    const line = subject(paused({ exporterName: 'café\r\nlink\u0007🚀\u202eevil' }));
    expect(line).toBe('[prod] cafe link ?? evil RUNNING -> PAUSED');
  });
});

describe('email text', () => {
  it('a trace of 1 MB is cut to an excerpt in the email', () => {
    const text = emailText(paused({ trace: 'x'.repeat(1_000_000) }));
    expect(text.length).toBeLessThan(10_000);
    expect(text).toContain('x...');
  });
});

describe('SNS message', () => {
  it.each([
    ['ASCII', 'x', 'y'],
    ['three-byte characters', '\u20ac', '\u20ac"\n'],
  ])('a 1 MB trace and a 10 KB exporter name of %s still make a message SNS accepts (< 256 KB)', (_, nameChar, traceChar) => {
    const event = paused({
      exporterName: nameChar.repeat(10_000),
      trace: traceChar.repeat(1_000_000 / traceChar.length),
      rootCause: traceChar.repeat(100_000),
    });
    const message = snsMessage(event, EXAMPLE_CONTEXT);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(256 * 1024);
  });

  it('an exporter name of control characters still yields a valid, non-empty attribute', () => {
    expect(messageAttributes(paused({ exporterName: '\n\t\u0000' })).exporter).toEqual({ DataType: 'String', StringValue: '-' });
    expect(messageAttributes(paused({ exporterName: 'a\nb\u0000c' })).exporter?.StringValue).toBe('a b c');
  });
});
