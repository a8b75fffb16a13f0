#!/usr/bin/env node
/** The `pixazo-ltx` executable: wires the command to the real process. */
import { runCli } from "./main.js";

const interrupt = new AbortController();
process.on("SIGINT", () => {
  // A second Ctrl-C does not wait for the clean stop.
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(new Error("interrupted"));
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  signal: interrupt.signal,
});
