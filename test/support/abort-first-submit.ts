/**
 * A fresh process's first submit, aborted while the HTTP client is still loading: undici is
 * loaded on the first request, from disk, which cannot finish before the `setImmediate` that
 * aborts (a timer of a few milliseconds could fire late on a busy machine, after the request
 * went out). Run by `created-jobs.test.ts`; prints the outcome as one JSON line.
 *
 * Argument: the gateway URL.
 */
import { Pixazo } from "../../src/index.js";

const baseUrl = process.argv[2] as string;
const client = new Pixazo({ apiKey: "sk-test-first-submit", baseUrl });
const reason = new Error("cancelled at once");
const controller = new AbortController();
setImmediate(() => controller.abort(reason));
try {
  await client.submit("ltx-2-3-text-to-video", { prompt: "A lighthouse" }, { signal: controller.signal });
  console.log(JSON.stringify({ outcome: "resolved" }));
} catch (error) {
  console.log(JSON.stringify({ outcome: error === reason ? "the reason" : (error as Error).name }));
}
