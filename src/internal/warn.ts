/**
 * One warning line: a process warning named `PixazoWarning` on Node, Bun and Deno (so
 * `--no-warnings` and `process.on("warning")` apply), `console.warn` where there is no process or
 * where emitting throws. It never throws itself.
 */
export function warn(line: string): void {
  try {
    if (typeof process !== "undefined" && typeof process.emitWarning === "function") {
      process.emitWarning(line, "PixazoWarning");
      return;
    }
  } catch {
    // Next.js's edge sandbox defines process.emitWarning and makes it throw: a warning never may.
  }
  try {
    console.warn(`PixazoWarning: ${line}`);
  } catch {
    // Nowhere to say it.
  }
}

/**
 * What was thrown, in one line, for a warning: an error's message, else the value's type. Never
 * throws (a value whose `toString` throws, or `Object.create(null)`, would make `String()` throw)
 * and never prints a non-error value, which may carry anything.
 */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return String(thrown.message);
  } catch {
    // A message getter that throws.
  }
  return `a thrown ${thrown === null ? "null" : typeof thrown} that is not an Error`;
}
