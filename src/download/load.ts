import "../internal/build-format.js";

/**
 * The file-saving code, loaded on first use (see `save.ts`). The build for Fetch-only runtimes
 * replaces this module with `load.fetch-runtime.ts`, so bundlers for those runtimes never meet
 * `node:fs`. The CommonJS build requires it (see `build-format.ts`).
 */
export function loadSaving(): Promise<typeof import("./save.js")> {
  if (typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs")
    return Promise.resolve(require("./save.js") as typeof import("./save.js"));
  return import("./save.js");
}
