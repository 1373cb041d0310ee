/**
 * The CLI's only contact with the process: where it writes, what environment it reads, what time
 * it is. `runCli` takes these as arguments, so tests drive every command without spawning one.
 */
import pc from 'picocolors';

export interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** A terminal's width in characters (Node sets it on a TTY); tables fit in it. */
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
  /** The CLI's own variables (NO_COLOR, SR_URL, ...); the AWS SDK reads the process environment as always. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
}

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colour for a person at a terminal, never when NO_COLOR is set (https://no-color.org), and also
 * piped when FORCE_COLOR asks for it (a pager like `less -R`, a CI log that renders colour).
 * FORCE_COLOR=0 or false turns it off, as in Node and most tools.
 */
export function colorsFor(io: CliIo): Colors {
  if (io.env.NO_COLOR) return pc.createColors(false);
  const forced = io.env.FORCE_COLOR;
  if (forced !== undefined) return pc.createColors(!['0', 'false'].includes(forced.toLowerCase()));
  return pc.createColors(io.stdout.isTTY === true);
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
