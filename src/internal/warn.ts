/**
 * One warning line: a process warning named `PixazoWarning` on Node, Bun and Deno (so
 * `--no-warnings` and `process.on("warning")` apply), `console.warn` where there is no process.
 */
export function warn(line: string): void {
  if (typeof process !== "undefined" && typeof process.emitWarning === "function") {
    process.emitWarning(line, "PixazoWarning");
  } else {
    console.warn(`PixazoWarning: ${line}`);
  }
}
