import { defineModel } from "./define.js";

/** LTX v2.3 Audio to Video (reference: "LTX v2.3 › Audio to Video"): Generates a video whose motion and timing follow an audio track. */
export const ltx23AudioToVideo = defineModel({
  id: "ltx-2-3-audio-to-video",
  path: "/ltx-2-3-audio-to-video/v1/ltx-2-3-audio-to-video-request",
  title: "LTX v2.3 Audio to Video",
  summary: "Generates a video whose motion and timing follow an audio track.",
});
