/** LTX v2 Image to Video: animates an image guided by a prompt. `npx tsx examples/ltx-2-video-api-581.ts` */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient();
try {
  const job = await client.ltx2.imageToVideo(
    {
      image_url: "https://example.com/example_inputs/ltxv-2-i2v-input.jpg",
      prompt:
        "A woman stands still amid a busy neon-lit street at night. The camera slowly dollies in toward " +
        "her face as people blur past. City lights flicker and reflections shift across her denim jacket.",
      duration: 6,
      resolution: "1080p",
      fps: 25,
      generate_audio: true,
    },
    { onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log(job.output.media_url[0]);
} finally {
  await close();
}
