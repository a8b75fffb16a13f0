/** LTX v2.3 Image to Video: animates a still, here toward an end frame. `npx tsx examples/ltx-2-3-image-to-video.ts` */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient();
try {
  const job = await client.ltx23.imageToVideo(
    {
      image_url: "https://v3b.example.com/files/b/0a90dd31/uJG2pMMJMcnVeC4PmwnAF_image_004.png",
      prompt:
        "Two Maasai warriors mid-leap during an adumu jumping dance, golden savanna sunset, " +
        "red shuka robes in motion, dust catching the backlight, 85mm f/1.4",
      aspect_ratio: "auto", // inferred from the image
      duration: 8,
      generate_audio: true,
    },
    { onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log(job.output.media_url[0]);
} finally {
  await close();
}
