/**
 * A webhook receiver with `verify` in a process of its own, with the fake gateway it verifies
 * against, so its memory is measured alone. Talks to the bench over IPC: "stats", "close".
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pixazo, WebhookReceiver } from "../src/index.js";
import { startFakeGateway } from "../src/testing/index.js";

const gateway = await startFakeGateway();
const client = new Pixazo({ apiKey: "bench", baseUrl: gateway.url });
const genuine: string[] = [];
for (let index = 0; index < 20; index++) {
  genuine.push((await client.submit("ltx-2-3-text-to-video", { prompt: "bench" })).request_id);
}
let events = 0;
let errors = 0;
const receiver = new WebhookReceiver({
  verify: client,
  onEvent: () => {
    events += 1;
  },
  onError: () => {
    errors += 1;
  },
});
const server = createServer(receiver.nodeHandler());
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
process.send?.({ type: "ready", port: (server.address() as AddressInfo).port, genuine });

process.on("message", async (message: { type: string }) => {
  if (message.type === "stats") {
    globalThis.gc?.();
    process.send?.({
      type: "stats",
      statusReads: gateway.requestsOf("status").length,
      events,
      errors,
      rss: process.memoryUsage().rss,
      peakRss,
    });
  } else if (message.type === "close") {
    clearInterval(sampler);
    server.closeAllConnections();
    server.close();
    await client.close();
    await gateway.close();
    process.exit(0);
  }
});
