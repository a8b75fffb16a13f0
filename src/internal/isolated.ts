import { describeThrown, warn } from "./warn.js";

/** Kinds of callback whose failure was already reported in this process. */
const reported = new Set<string>();

/**
 * Calls a caller's callback whose failure must not change the outcome of a request (a logger, a
 * progress callback, a shared pause's announcement): a throw, or the rejection of a promise it
 * returns, is caught, and the first one of each kind is reported as a process warning, so a
 * broken callback is seen without failing a job that was created or a file that was downloaded.
 *
 * @example
 * ```ts
 * callIsolated("The logger's debug()", () => logger.debug("pixazo-ltx request", details));
 * ```
 */
export function callIsolated(what: string, callback: () => unknown): void {
  const report = (error: unknown) => {
    if (reported.has(what)) return;
    reported.add(what);
    warn(`${what} threw; ignored, as it always will be: ${describeThrown(error)}`);
  };
  try {
    const result = callback();
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      Promise.resolve(result).catch(report);
    }
  } catch (error) {
    report(error);
  }
}
