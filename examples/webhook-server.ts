/**
 * Webhooks end to end: a receiver on a local HTTP server, a job submitted with a callback URL,
 * and a wait that ends as soon as the callback arrives (slow polling covers a lost one).
 *
 * Against the fake gateway (no PIXAZO_API_KEY) the callback goes to this machine directly.
 * Against the real gateway the callback must reach you over HTTPS: expose the local port through
 * a tunnel or a reverse proxy and set PIXAZO_WEBHOOK_URL to its public https:// address.
 * `npx tsx examples/webhook-server.ts`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhookReceiver } from "pixazo-ltx";
import { exampleClient } from "./support/example-client.js";

const { client, live, close } = await exampleClient();

// verify: each callback is confirmed with a status read using your key, so a forged POST to the
// public URL cannot fake a finished job. Duplicated deliveries are dropped.
const receiver = new WebhookReceiver({
  verify: client,
  onEvent: (job) => console.error(`callback   ${job.request_id} ${job.status}`),
});
const server = createServer(receiver.nodeHandler());
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", resolve));
const localUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pixazo`;
const webhookUrl = live ? process.env.PIXAZO_WEBHOOK_URL : localUrl;

try {
  if (!webhookUrl) {
    throw new Error(`Set PIXAZO_WEBHOOK_URL to a public https:// URL that forwards to ${localUrl}`);
  }
  console.error(`receiving  ${localUrl}`);
  const job = await client.generate(
    "ltx-2-3-text-to-video",
    { prompt: "A hot-air balloon drifting over misty hills at sunrise", duration: 6 },
    {
      webhook: { url: webhookUrl, mode: "terminal" },
      events: receiver,
      onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`),
    },
  );
  console.log(job.output.media_url[0]);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  server.close();
  await close();
}
