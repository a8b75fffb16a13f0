import { ValidationError } from "../errors/errors.js";

/*
 * `#node-only` in the build for Fetch runtimes (workerd, edge functions, browsers): no undici
 * and no file system. Requests go through the runtime's `fetch`; what needs files is refused
 * before any request, with what to do instead.
 */

/** Always `undefined`: requests go through the runtime's `fetch`. */
export async function loadUndiciTransport(): Promise<undefined> {
  return undefined;
}

/** Refuses: there is no file system to save into. */
export function loadDownloads(): Promise<never> {
  return Promise.reject(
    new ValidationError([
      {
        path: ["filePath"],
        message:
          "cannot be written on this runtime: pixazo-ltx's build for Fetch runtimes (workerd, edge, browsers) has no file system",
        allowed: "fetch(job.output.media_url[0]) and store the response body yourself",
      },
    ]),
  );
}

/** Refuses: a store object (KV, a cache) works everywhere, a file path does not. */
export function loadRunTimeFile(): Promise<never> {
  return Promise.reject(
    new ValidationError([
      {
        path: ["runTimeStore"],
        message: "is a file path, and this runtime's build of pixazo-ltx has no file system",
        allowed: "an object with load() and save(text), e.g. over your platform's key-value store",
      },
    ]),
  );
}

/** Refuses: a batch runs for minutes to hours, in a process of its own with a file system. */
export function loadBatch(): Promise<never> {
  return Promise.reject(
    new ValidationError([
      {
        path: ["generateMany"],
        message:
          "is not in pixazo-ltx's build for Fetch runtimes (workerd, edge, browsers): a batch outlives a request",
        allowed: "client.generate() per item from your platform's queue, or generateMany on Node, Bun or Deno",
      },
    ]),
  );
}
