import "../internal/build-format.js";

/**
 * The file store of run times, loaded on first use (it needs node:fs). The build for Fetch-only
 * runtimes replaces this module with `load-file.fetch-runtime.ts`; the CommonJS build requires it
 * (see `build-format.ts`).
 */
export function loadRunTimeFile(): Promise<typeof import("./file.js")> {
  if (typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs")
    return Promise.resolve(require("./file.js") as typeof import("./file.js"));
  return import("./file.js");
}
