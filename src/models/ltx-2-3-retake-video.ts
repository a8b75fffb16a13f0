import { defineModel } from "./define.js";

/** LTX v2.3 Retake Video (reference: "LTX v2.3 › Video to Video (Video Editing)"): Regenerates a time range of an existing video (video only, or video and audio). */
export const ltx23RetakeVideo = defineModel({
  id: "ltx-2-3-retake-video",
  path: "/ltx-2-3-retake-video/v1/ltx-2-3-retake-video-request",
  title: "LTX v2.3 Retake Video",
  summary: "Regenerates a time range of an existing video (video only, or video and audio).",
});
