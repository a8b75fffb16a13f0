/**
 * The demo: generates a video end to end with LTX v2.3 text-to-video, printing each status and
 * the completed status object. Without PIXAZO_API_KEY it runs against the built-in fake gateway,
 * free; with it, against the real gateway. Run it with `npm run demo`.
 */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient({ queuedPolls: 1, processingPolls: 3 });
try {
  const job = await client.generate(
    "ltx-2-3-text-to-video",
    {
      prompt: "A paper boat drifting down a rain-soaked street at dusk, reflections of neon signs, 35mm, shallow depth of field",
      duration: 6,
      resolution: "1080p",
      aspect_ratio: "16:9",
      generate_audio: true,
    },
    { onSubmit: ({ request_id }) => console.log(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log("\nCompleted status object:");
  console.log(JSON.stringify(job, null, 2));
} catch (error) {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await close();
}
