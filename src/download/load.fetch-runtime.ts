import { ValidationError } from "../errors/errors.js";

/**
 * The Fetch-runtime build's stand-in for `load.ts`: workerd, edge functions and browsers have no
 * file system to save into, so `client.download()` refuses, before any request, with what to do
 * instead.
 */
export function loadSaving(): Promise<typeof import("./save.js")> {
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
