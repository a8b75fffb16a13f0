import { defineModel } from "./define.js";

/** LTX v2 Pro (reference: "LTX v2 Pro › Text to Video"): Generates a video from a prompt, or from an image and a prompt, with optional audio. */
export const lightricksVideo = defineModel({
  id: "lightricks-video",
  path: "/lightricks/v1/ltx/generate",
  title: "LTX v2 Pro",
  summary: "Generates a video from a prompt, or from an image and a prompt, with optional audio.",
});
