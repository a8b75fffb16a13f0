/** LTX v2 19B: image to video with frame count, size, camera LoRA and encoding. `npx tsx examples/ltx-2-19b-api-513.ts` */
import { exampleClient, logStatus } from "./support/example-client.js";

const { client, close } = await exampleClient();
try {
  const job = await client.ltx2.imageToVideo19b(
    {
      prompt: "A golden retriever running through a sunlit forest, tail wagging, leaves blowing in the wind",
      image_url: "https://pub-582b7213209642b9b995c96c95a30381.r2.dev/nano-banana.jpeg",
      num_frames: 121,
      video_size: "auto", // or "WIDTHxHEIGHT", e.g. "768x768"
      fps: 25,
      generate_audio: true,
      use_multiscale: true,
      camera_lora: "none",
      camera_lora_scale: 1,
      negative_prompt: "blurry, overexposed, flickering, distorted proportions, extra limbs",
      video_output_type: "X264 (.mp4)",
      video_quality: "high",
      video_write_mode: "balanced",
    },
    { onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`), onStatus: logStatus() },
  );
  console.log(job.output.media_url[0]);
} finally {
  await close();
}
