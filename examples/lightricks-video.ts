/** LTX v2 Pro: text to video, or image to video with `image`. `npx tsx examples/lightricks-video.ts` */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient();
try {
  const job = await client.ltx2.pro(
    {
      prompt: "A cinematic drone shot of a futuristic city at night with flying cars and neon lights",
      duration: 10,
      resolution: "1080p",
      generate_audio: true,
    },
    { onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log(job.output.media_url[0]);
} finally {
  await close();
}
