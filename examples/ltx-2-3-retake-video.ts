/** LTX v2.3 Retake: regenerates seconds 0–5 of an existing video. `npx tsx examples/ltx-2-3-retake-video.ts` */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient();
try {
  const job = await client.ltx23.retakeVideo(
    {
      prompt: "Transform the scene into a vibrant neon-lit cyberpunk environment",
      video_url: "https://imagesai.appypie.com/7686410/HjRiOy5cjxaM5YMXUY5U_017731482701572.mp4",
      start_time: 0, // seconds from the start of the video
      duration: 5, // seconds to retake
      retake_mode: "replace_video_only", // keep the original soundtrack
    },
    { onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log(job.output.media_url[0]);
} finally {
  await close();
}
