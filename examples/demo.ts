/**
 * The demo: generates a video end to end with LTX v2.3 text-to-video.
 *
 * With no PIXAZO_API_KEY set it starts the built-in fake gateway in this process, so it runs
 * anywhere, free. Run it with `npm run demo`.
 */
import { Pixazo, type PixazoOptions } from "pixazo-ltx";
import { startFakeGateway } from "pixazo-ltx/testing";

const live = Boolean(process.env.PIXAZO_API_KEY);
const gateway = live ? undefined : await startFakeGateway({ job: { queuedPolls: 1, processingPolls: 3 } });

// Against the fake gateway the polls are quick; against the real one the SDK's defaults apply.
const options: PixazoOptions = gateway
  ? { apiKey: "demo-key", baseUrl: gateway.url, pollIntervalMs: 300, maxPollIntervalMs: 600 }
  : {};
const client = new Pixazo(options);

console.log(live ? `Using the Pixazo gateway at ${client.baseUrl}` : `No PIXAZO_API_KEY set: using the fake gateway at ${client.baseUrl}`);

try {
  const started = Date.now();
  const job = await client.generate(
    "ltx-2-3-text-to-video",
    {
      prompt: "A paper boat drifting down a rain-soaked street at dusk, reflections of neon signs, 35mm, shallow depth of field",
      duration: 6,
      resolution: "1080p",
      aspect_ratio: "16:9",
      generate_audio: true,
    },
    {
      onSubmit: ({ request_id }) => console.log(`submitted  ${request_id}`),
      onStatus: ({ status }) => console.log(`status     ${status} (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    },
  );
  console.log("\nCompleted status object:");
  console.log(JSON.stringify(job, null, 2));
} catch (error) {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await client.close();
  await gateway?.close();
}
