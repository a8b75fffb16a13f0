import { ValidationError } from "../errors/errors.js";

/**
 * The Fetch-runtime build's stand-in for `load-file.ts`: there is no file system, so a
 * `runTimeStore` given as a path is refused; a store object (KV, a cache) works everywhere.
 */
export function loadRunTimeFile(): Promise<typeof import("./file.js")> {
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
