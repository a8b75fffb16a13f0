/**
 * What the command is doing, on stderr. On a terminal, one line redrawn every second with the
 * time elapsed, so a wait of minutes (or a gateway that does not answer) never looks frozen; notes
 * (a failed request, a retry) are printed above it. Elsewhere (logs, CI), one line per change and
 * per note, nothing redrawn.
 */
export interface Activity {
  /**
   * Shows what is going on now, e.g. `status     PROCESSING`; elapsed time is added on a
   * terminal. `onlyOnTerminal` labels (a request under way) are not logged elsewhere; `detail`
   * (an estimate counting down, say) is drawn after the label on a terminal at every redraw.
   */
  show(label: string, options?: { onlyOnTerminal?: boolean; detail?: (() => string | undefined) | undefined }): void;
  /** Prints a line of its own (a note), keeping the current label below it on a terminal. */
  note(line: string): void;
  /** Ends the redrawn line, leaving its last state on screen. Safe to call twice. */
  stop(): void;
}

const TICK_MS = 1_000;

/** `12 s`, `3 min 05 s`. */
export function elapsedText(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

export function activity(write: (text: string) => void, isTTY: boolean, now: () => number = Date.now): Activity {
  const started = now();
  let label: string | undefined;
  let detail: (() => string | undefined) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const line = () => {
    const extra = detail?.();
    return `${label}${extra ? ` · ${extra}` : ""} · ${elapsedText(now() - started)}`;
  };
  // "\r" and "erase to the end of the line": the redrawn line replaces the previous one.
  const redraw = () => write(`\r\u001b[K${line()}`);
  return {
    show(next, options = {}) {
      const sameLabel = next === label;
      label = next;
      detail = options.detail;
      if (!isTTY) {
        // One line per change: a status read that finds the same status prints nothing.
        if (!sameLabel && !options.onlyOnTerminal) write(`${next} (${((now() - started) / 1000).toFixed(1)} s)\n`);
        return;
      }
      redraw();
      if (!timer) {
        timer = setInterval(redraw, TICK_MS);
        // The ticker never keeps the process alive on its own.
        timer.unref?.();
      }
    },
    note(text) {
      if (isTTY && label !== undefined) write(`\r\u001b[K${text}\n${line()}`);
      else write(`${text}\n`);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (isTTY && label !== undefined) write("\n");
      label = undefined;
    },
  };
}
