import type * as Undici from "undici";

/*
 * The Fetch-runtime build's stand-in for `undici.ts`: workerd, edge functions and browsers have
 * their own `fetch` and no use for Node's HTTP client, so that build never references undici and
 * every request goes through the runtime's `fetch`.
 */

/** Never loads: undici is not part of this build. */
export function loadUndici(): Promise<typeof Undici> {
  return Promise.reject(new Error("undici is not part of pixazo-ltx's build for Fetch runtimes"));
}

/** Always `undefined`: requests go through the runtime's `fetch`. */
export async function undiciIfLoadable(): Promise<typeof Undici | undefined> {
  return undefined;
}
