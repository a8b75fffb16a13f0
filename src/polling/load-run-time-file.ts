/**
 * The file store of run times, loaded on first use (it needs node:fs). The build for Fetch-only
 * runtimes replaces this module with `load-run-time-file.fetch-runtime.ts`.
 */
export function loadRunTimeFile(): Promise<typeof import("./run-time-file.js")> {
  return import("./run-time-file.js");
}
