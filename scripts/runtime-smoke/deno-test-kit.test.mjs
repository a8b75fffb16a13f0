// `deno test` with the test kit: the fake gateway starts, serves a job and closes, and the run
// exits by itself, as the plain Deno script round-trip.mjs does.
import { Pixazo } from "../../dist/index.js";
import { startFakeGateway } from "../../dist/testing.js";

Deno.test("a job against the fake gateway under deno test", async () => {
  const gateway = await startFakeGateway();
  try {
    const client = new Pixazo({ apiKey: "runtime-smoke-key", baseUrl: gateway.url });
    const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A lighthouse in a storm" });
    if (job.status !== "COMPLETED") throw new Error(`the job ended ${job.status}`);
    await client.close();
  } finally {
    await gateway.close();
  }
});
