/**
 * A child process standing for a Lambda sandbox: started once (cold), then asked to invoke the
 * handler one request at a time over the IPC channel. Its stdout/stderr (the function's logs) go
 * to a file, so a log line never waits on the parent's event loop.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WorkerOptions {
  readonly script: string;
  readonly execArgv: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** Names the log file. */
  readonly label: string;
}

interface Reply {
  readonly type: string;
}

export class WorkerProcess<Message extends Reply> {
  private pending: { resolve: (message: Message) => void; reject: (error: Error) => void } | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly logPath: string,
  ) {
    child.on('message', (message: Message) => {
      const waiting = this.pending;
      this.pending = undefined;
      waiting?.resolve(message);
    });
    child.on('exit', (code, signal) => {
      const waiting = this.pending;
      this.pending = undefined;
      waiting?.reject(new Error(`worker exited (code ${code}, signal ${signal}); its log ends with:\n${this.logTail()}`));
    });
  }

  /** Starts the process and waits for its first message (its "ready", sent once the handler is imported). */
  static async start<Message extends Reply>(options: WorkerOptions): Promise<{ worker: WorkerProcess<Message>; first: Message }> {
    const logDir = join(tmpdir(), 'exporter-monitor-bench');
    mkdirSync(logDir, { recursive: true });
    const logPath = join(logDir, `${options.label}-${process.pid}.log`);
    const log = openSync(logPath, 'w');
    const child = fork(options.script, [], {
      cwd: options.cwd,
      execArgv: [...options.execArgv],
      env: options.env,
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    const worker = new WorkerProcess<Message>(child, logPath);
    const first = await worker.next();
    return { worker, first };
  }

  /** Bytes logged so far. */
  get logBytes(): number {
    return statSync(this.logPath).size;
  }

  request(message: { readonly type: string; readonly label?: string; readonly event?: unknown }): Promise<Message> {
    const reply = this.next();
    this.child.send(message);
    return reply;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.send({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  logTail(): string {
    try {
      return readFileSync(this.logPath, 'utf8').slice(-3_000);
    } catch {
      return '(no log)';
    }
  }

  private next(): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }
}
