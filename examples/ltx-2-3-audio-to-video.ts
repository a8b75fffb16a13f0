/** LTX v2.3 Audio to Video: motion and timing follow a soundtrack. `npx tsx examples/ltx-2-3-audio-to-video.ts` */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient();
try {
  const job = await client.ltx23.audioToVideo(
    {
      prompt: "A musician passionately playing piano in a dimly lit jazz club",
      audio_url: "https://imagesai.appypie.com/7686410/wGrZmX6DC6QbKdp73zyK_017727945871303.mp3",
      image_url: "https://imagesai.appypie.com/7686410/PaESYuZM3mrXtc08U2vh_017731442751326.png", // optional first frame
      guidance_scale: 9, // higher follows the prompt more closely
    },
    { onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log(job.output.media_url[0]);
} finally {
  await close();
}
