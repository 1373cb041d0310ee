/**
 * The CLI's only contact with the process: where it writes, what environment it reads, what time
 * it is. `runCli` takes these as arguments, so tests drive every command without spawning one.
 */
import pc from 'picocolors';

export interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
  /** The CLI's own variables (NO_COLOR, SR_URL, ...); the AWS SDK reads the process environment as always. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
}

export type Colors = ReturnType<typeof pc.createColors>;

/** Colour only for a person at a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorsFor(io: CliIo): Colors {
  return pc.createColors(io.stdout.isTTY === true && !io.env.NO_COLOR);
}

export interface Progress {
  update(text: string): void;
  done(): void;
}

/** One self-overwriting line on a terminal's stderr; nothing at all when stderr is piped or a file. */
export function progressFor(io: CliIo): Progress {
  if (io.stderr.isTTY !== true) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update(text) {
      io.stderr.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
