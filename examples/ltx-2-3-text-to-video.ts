/** LTX v2.3 Text to Video: a video with synchronized audio from a prompt. `npx tsx examples/ltx-2-3-text-to-video.ts` */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient();
try {
  const job = await client.ltx23.textToVideo(
    {
      prompt:
        "Through-the-veil shot of a bride during an Indian wedding ceremony, embroidered red dupatta, " +
        "marigold garlands in soft bokeh, 85mm f/1.2, warm candlelight, cinematic intimacy",
      duration: 6,
      resolution: "1080p",
      aspect_ratio: "16:9",
      fps: 25,
      generate_audio: true,
    },
    { onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log(job.output.media_url[0]);
} finally {
  await close();
}
