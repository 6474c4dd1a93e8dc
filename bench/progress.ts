// The progress indicator on stderr: one line rewritten in place on a terminal, a line per kernel otherwise.
import type { PhaseMessage } from './results.js';

function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** What a phase message says, in words. */
export function describePhase(m: PhaseMessage): string {
  const who = m.variant ?? '';
  switch (m.phase) {
    case 'setup': return 'building inputs';
    case 'stages': return 'timing compile stages';
    case 'compile': return `compiling ${who}`;
    case 'estimate': return `estimating the time of ${who}`;
    case 'reference': return `computing the reference output (${who})`;
    case 'validate': return `validating ${who}`;
    case 'run': return m.rep !== undefined && m.rep < 0 ? `running ${who} (warm-up)` : `running ${who} ${(m.rep ?? 0) + 1}/${m.reps ?? '?'}`;
  }
}

export class Progress {
  private readonly tty: boolean;
  private readonly started = Date.now();
  private shown = '';
  private kernelLabel = '';

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY);
  }

  /** A new kernel starts: `[3/16] jacobi_2d`. */
  kernel(index: number, total: number, name: string): void {
    this.kernelLabel = `[${index + 1}/${total}] ${name}`;
    if (this.tty) this.status('starting');
    else this.stream.write(`${this.kernelLabel} …\n`);
  }

  /** What the current kernel is doing (terminal only: elsewhere it would flood the log). */
  status(text: string): void {
    if (!this.tty) return;
    const line = `${this.kernelLabel ? `${this.kernelLabel}: ` : ''}${text} · ${elapsed(Date.now() - this.started)}`;
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    this.shown = line.length > width ? line.slice(0, width) : line;
    this.stream.write(`\r\x1b[K${this.shown}`);
  }

  /** Lines for stdout: the progress line is cleared first and drawn again after. */
  print(lines: readonly string[], out: NodeJS.WriteStream = process.stdout): void {
    if (this.tty && this.shown) this.stream.write('\r\x1b[K');
    out.write(lines.map((l) => `${l}\n`).join(''));
    if (this.tty && this.shown) this.stream.write(this.shown);
  }

  done(): void {
    if (this.tty && this.shown) this.stream.write('\r\x1b[K');
    this.shown = '';
  }
}
