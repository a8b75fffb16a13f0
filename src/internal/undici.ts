import type * as Undici from "undici";
import "./build-format.js";
import { warn } from "./warn.js";

let loading: Promise<typeof Undici> | undefined;

/**
 * undici, loaded on first use. Importing it takes about 140 ms; a program that imports the SDK
 * should not pay that at start-up, only when it first sends a request.
 */
export function loadUndici(): Promise<typeof Undici> {
  // The CommonJS build requires it (see build-format.ts).
  if (typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs") {
    loading ??= Promise.resolve().then(() => require("undici") as typeof Undici);
  }
  loading ??= import("undici");
  return loading;
}

let warned = false;

/**
 * undici, or `undefined` where it cannot be loaded: an ESM bundle that wrapped undici's CommonJS
 * cannot `require` Node's builtins ("Dynamic require of node:assert is not supported"). There
 * the runtime's own `fetch` is used instead; that is reported once as a process warning, since
 * the client's connection pool and the proxy settings it read from the environment then do not
 * apply.
 */
export async function undiciIfLoadable(): Promise<typeof Undici | undefined> {
  try {
    return await loadUndici();
  } catch (error) {
    if (typeof globalThis.fetch !== "function") throw error;
    if (!warned) {
      warned = true;
      const reason = error instanceof Error ? error.message : String(error);
      warn(
        `undici could not be loaded (${reason}); requests go through the runtime's fetch instead, without the client's connection pool or proxy settings`,
      );
    }
    return undefined;
  }
}
