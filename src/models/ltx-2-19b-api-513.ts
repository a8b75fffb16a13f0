import { defineModel } from "./define.js";

/** LTX v2 19B (reference: "LTX v2 19B › Image to Video"): Image-to-video with the 19B model and fine control over frames, size, camera LoRA and encoding. */
export const ltx219bApi513 = defineModel({
  id: "ltx-2-19b-api-513",
  path: "/ltx-2-19b-api-513/v1/ltx-2-19b-api-request",
  title: "LTX v2 19B",
  summary: "Image-to-video with the 19B model and fine control over frames, size, camera LoRA and encoding.",
});
