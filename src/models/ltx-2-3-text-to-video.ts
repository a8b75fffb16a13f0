import { defineModel } from "./define.js";

/** LTX v2.3 Text to Video (reference: "LTX v2.3 › Text to Video"): Generates a video, with optional synchronized audio, from a text prompt. */
export const ltx23TextToVideo = defineModel({
  id: "ltx-2-3-text-to-video",
  path: "/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request",
  title: "LTX v2.3 Text to Video",
  summary: "Generates a video, with optional synchronized audio, from a text prompt.",
});
