import type * as Undici from "undici";

let loading: Promise<typeof Undici> | undefined;

/**
 * undici, loaded on first use. Importing it takes about 140 ms; a program that imports the SDK
 * should not pay that at start-up, only when it first sends a request.
 */
export function loadUndici(): Promise<typeof Undici> {
  loading ??= import("undici");
  return loading;
}
