/**
 * The low-level flow: submit, store the request id, read the status once, then wait with a
 * timeout and an abort signal, and resume after a timeout. `npx tsx examples/submit-status-wait.ts`
 */
import { type CompletedJob, GenerationFailedError, WaitTimeoutError } from "pixazo-ltx";
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient({ queuedPolls: 2, processingPolls: 4 });
try {
  // 1. Submit. Store the id before anything else: it is how the job is found again.
  const { request_id, status } = await client.submit("ltx-2-3-text-to-video", {
    prompt: "Time-lapse of fog rolling over a mountain ridge at sunrise",
    duration: 6,
  });
  console.error(`submitted  ${request_id} (${status})`);

  // 2. One status read, e.g. from another process that only has the id.
  const now = await client.status(request_id);
  console.error(`status now ${now.status}`);

  // 3. Wait. Ctrl-C aborts the wait at once; the job itself keeps running on the gateway.
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort(new Error("interrupted")));
  let done: CompletedJob;
  try {
    done = await client.wait(request_id, { signal: controller.signal, timeoutMs: 1_000, onStatus: logStatus() });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    // 4. Not finished in time: nothing is lost, resume with the id the error carries.
    console.error(`not done after ${error.timeoutMs} ms (last: ${error.lastStatus?.status}); resuming`);
    done = await client.wait(error.requestId, { signal: controller.signal, onStatus: logStatus() });
  }
  console.log(done.output.media_url[0]);
} catch (error) {
  if (error instanceof GenerationFailedError) {
    console.error(`job ${error.requestId} ${error.status}: ${error.gatewayError} (charge: ${error.charge})`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await close();
}
