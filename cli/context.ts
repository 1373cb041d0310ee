/** What every command gets: the io, one clock reading for the whole run, progress, and the target opened on first use. */
import type { CliIo, Progress } from './io.js';
import type { Target } from './target.js';

export interface CommandContext {
  readonly io: CliIo;
  /** Read once, so every figure of a run refers to the same instant. */
  readonly now: number;
  readonly progress: Progress;
  /** The table or local store chosen by the global options, opened once; `runCli` closes it. */
  target(): Promise<Target>;
  /** A command that succeeded but has news for a script (`check`: an exporter not RUNNING) says so here. */
  exitWith(code: number): void;
}
