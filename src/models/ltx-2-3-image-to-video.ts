import { defineModel } from "./define.js";

/** LTX v2.3 Image to Video (reference: "LTX v2.3 › Image to Video"): Animates a still image, optionally toward an end frame, guided by a text prompt. */
export const ltx23ImageToVideo = defineModel({
  id: "ltx-2-3-image-to-video",
  path: "/ltx-2-3-image-to-video/v1/ltx-2-3-image-to-video-request",
  title: "LTX v2.3 Image to Video",
  summary: "Animates a still image, optionally toward an end frame, guided by a text prompt.",
});
