import { chatbotNotification } from '../../../lambda/notify/messages.js';
import { exampleEvent } from '../../../local/example-events.js';
import { paused } from '../../support/paused-example.js';

describe('Slack message (AWS Chatbot custom notification)', () => {
  it('a trace full of Markdown cannot break the Slack message', () => {
    const trace = '```\n*bold* _it_ ~x~ <!channel> [link](https://evil.example) # | > quote\n```\n'.repeat(100);
    const { description } = chatbotNotification(paused({ trace })).content;
    const fence = description.indexOf('```\n');
    expect(fence).toBeGreaterThan(0);
    expect(description.endsWith('\n```')).toBe(true);
    const inside = description.slice(fence + 4, -4);
    expect(inside).not.toContain('`');
    expect(description).not.toContain('<!channel>');
    expect(inside).toContain('*bold* _it_ ~x~ &lt;!channel&gt; [link](https://evil.example)');
    expect(description.length).toBeLessThanOrEqual(3000);
  });

  it('an exporter name full of Markdown shows verbatim in a code span and cannot ping the channel', () => {
    const { content } = chatbotNotification(paused({ exporterName: '*x*_[y](https://evil.example)<!here>' }));
    expect(content.title).toContain('`*x*_[y](https://evil.example)&lt;!here&gt;`');
    expect(content.description).toContain('Exporter `*x*_[y](https://evil.example)&lt;!here&gt;` on registry prod');
    expect(JSON.stringify(content)).not.toContain('<!here>');
  });

  it('an exporter name with a backtick cannot close a code span: its Markdown is escaped', () => {
    const { content } = chatbotNotification(paused({ exporterName: 'a`b*c_[d](e)#|~' }));
    expect(content.title).toContain('a\\`b\\*c\\_\\[d\\]\\(e\\)\\#\\|\\~');
    const resume = content.nextSteps.find((step) => step.includes('exporter resume'));
    // The command spells the backtick as \x60, so the code span around it stays whole.
    expect(resume).toContain("`confluent schema-registry exporter resume $'a\\x60b*c_[d](e)#|~'`");
  });

  const huge = '\u20ac<*'.repeat(20_000);
  it.each([
    ['an exporter', paused({ exporterName: huge, registryId: huge, state: huge, previousState: huge, rootCause: huge, incidentId: huge, trace: huge })],
    [
      'the registry',
      exampleEvent('monitor-reminder', {
        registryId: huge,
        state: huge,
        previousState: huge,
        incidentId: huge,
        failure: { kind: 'network', message: huge, requestId: huge, path: huge, httpStatus: 599, errorCode: 50003 },
      }),
    ],
  ])('title and description about %s stay within their limits whatever the registry sends', (_, event) => {
    const { content } = chatbotNotification(event, { registryBaseUrl: `https://example.com/${huge}` });
    expect(content.title.length).toBeLessThan(250);
    expect(content.description.length).toBeLessThanOrEqual(3000);
  });
});
