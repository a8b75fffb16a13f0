/**
 * The file store of run times, loaded on first use (it needs node:fs). The build for Fetch-only
 * runtimes replaces this module with `load-file.fetch-runtime.ts`.
 */
export function loadRunTimeFile(): Promise<typeof import("./file.js")> {
  return import("./file.js");
}
