import { defineModel } from "./define.js";

/** LTX v2 Image to Video (reference: "LTX v2 › Image to Video"): Animates an image into a video guided by a prompt, with optional audio. */
export const ltx2VideoApi581 = defineModel({
  id: "ltx-2-video-api-581",
  path: "/ltx-2-video-api-581/v1/ltx-2-video-api-request",
  title: "LTX v2 Image to Video",
  summary: "Animates an image into a video guided by a prompt, with optional audio.",
});
