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
