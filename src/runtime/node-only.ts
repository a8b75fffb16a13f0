import type * as Undici from "undici";
import type { UndiciTransport } from "../http/connections.js";
import "../internal/build-format.js";

/*
 * The parts of the SDK that only Node (and Bun, Deno) can run, each loaded on first use: undici
 * (the transport and its pool), the file downloads (node:fs, node:stream, node:zlib), the
 * run-time file store and the batch manifest file. Imported as `#node-only`: package.json's "imports" map that name to
 * `fetch-only.ts` in the build for Fetch runtimes (condition "pixazo-fetch-runtime"), so bundlers
 * for workerd, edge runtimes and browsers never meet these modules.
 *
 * The CommonJS build requires them (see build-format.ts); the ES module build keeps each in a
 * chunk of its own.
 */

/** undici and the transport over it; never `undefined` here (see fetch-only.ts). */
export async function loadUndiciTransport(): Promise<UndiciTransport | undefined> {
  if (typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs") {
    return {
      undici: require("undici") as typeof Undici,
      http: require("../http/undici-transport.js") as typeof import("../http/undici-transport.js"),
    };
  }
  const [undici, http] = await Promise.all([import("undici"), import("../http/undici-transport.js")]);
  return { undici, http };
}

/** The file downloads of `client.download()` and `downloadAll()`. */
export function loadDownloads(): Promise<typeof import("../download/download.js")> {
  if (typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs") {
    return Promise.resolve().then(() => require("../download/download.js") as typeof import("../download/download.js"));
  }
  return import("../download/download.js");
}

/** The store of run times in a file (`runTimeStore` given as a path). */
export function loadRunTimeFile(): Promise<typeof import("../run-time-store/file.js")> {
  if (typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs") {
    return Promise.resolve().then(
      () => require("../run-time-store/file.js") as typeof import("../run-time-store/file.js"),
    );
  }
  return import("../run-time-store/file.js");
}

/** `client.generateMany()` and what it needs: the manifest file, the downloads. */
export function loadBatch(): Promise<typeof import("../batch/generate-many.js")> {
  if (typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs") {
    return Promise.resolve().then(
      () => require("../batch/generate-many.js") as typeof import("../batch/generate-many.js"),
    );
  }
  return import("../batch/generate-many.js");
}
