/**
 * The local demo's notifier: shows each event on the terminal as people would receive it (the
 * email's subject and text, and on request the Slack notification of AWS Chatbot).
 */
import type { MonitorEvent, Severity } from '../lambda/core/model.js';
import type { MessageContext } from '../lambda/notify/message-context.js';
import { chatbotNotification, emailText, subject } from '../lambda/notify/messages.js';
import type { Notifier, PublishOptions, PublishResult } from '../lambda/notify/notifier.js';

export interface ConsoleWriter {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ConsoleNotifierOptions {
  /** Also print the AWS Chatbot custom notification (what Slack shows) as JSON. */
  readonly showSlack?: boolean;
  /** Where to print; the process's standard output by default. */
  readonly writer?: ConsoleWriter;
  /** Base URL by registry id, for the commands in the messages. */
  readonly registryBaseUrls?: ReadonlyMap<string, string>;
  /** How each registry authenticates, by registry id, for the curl commands; basic when absent. */
  readonly registryAuth?: ReadonlyMap<string, MessageContext['registryAuth']>;
  /** The folder of the monitor's local store, so the CLI commands in the messages read it. */
  readonly localStore?: string;
  /** Read for NO_COLOR; the process's environment by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const SEVERITY_COLOUR: Readonly<Record<Severity, string>> = { critical: '1;31', warning: '1;33', info: '1;32' };
const DIM = '2';

export class ConsoleNotifier implements Notifier {
  private readonly writer: ConsoleWriter;
  private readonly colour: boolean;

  constructor(private readonly options: ConsoleNotifierOptions = {}) {
    this.writer = options.writer ?? process.stdout;
    // Escape codes only for a person at a terminal, and never against NO_COLOR (https://no-color.org).
    this.colour = this.writer.isTTY === true && !(options.env ?? process.env).NO_COLOR;
  }

  async publish(events: readonly MonitorEvent[], options: PublishOptions = {}): Promise<PublishResult> {
    for (const event of events) this.writer.write(this.format(event));
    const delivered = events.map((event) => event.id);
    if (delivered.length > 0) await options.onDelivered?.(delivered);
    return { delivered, failed: [], deferred: [] };
  }

  private format(event: MonitorEvent): string {
    const context: MessageContext = {
      registryBaseUrl: this.options.registryBaseUrls?.get(event.registryId),
      registryAuth: this.options.registryAuth?.get(event.registryId),
      // The console is where `npm start` prints: the monitor runs on this machine.
      runsOn: 'laptop',
      localStore: this.options.localStore,
    };
    const slack = this.options.showSlack
      ? ['', this.paint(DIM, 'Slack (AWS Chatbot custom notification):'), JSON.stringify(chatbotNotification(event, context), null, 2)]
      : [];
    return `${[
      this.paint(DIM, '-'.repeat(72)),
      this.paint(SEVERITY_COLOUR[event.severity], `${subject(event)}  (${event.severity})`),
      '',
      emailText(event, context),
      ...slack,
      '',
    ].join('\n')}\n`;
  }

  private paint(code: string, text: string): string {
    return this.colour ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}
