/**
 * The file-saving code, loaded on first use (see `save.ts`). The build for Fetch-only runtimes
 * replaces this module with `load.fetch-runtime.ts`, so bundlers for those runtimes never meet
 * `node:fs`.
 */
export function loadSaving(): Promise<typeof import("./save.js")> {
  return import("./save.js");
}
