import * as z from "zod/mini";
import { defineModel } from "./define.js";
import { httpUrl, promptText } from "./fields.js";
import { positiveOr } from "./work.js";

const ltx23RetakeVideoShape = () => ({
  /** The desired transformation (style, lighting, objects). Detailed prompts work best. */
  prompt: promptText(),
  /** Publicly accessible URL of the source video to edit. */
  video_url: httpUrl(),
  /** Start of the segment to retake, in whole seconds from the beginning (≥ 0). */
  start_time: z.int().check(z.minimum(0)),
  /** Length of the segment to retake, in whole seconds (> 0, within the video). */
  duration: z.int().check(z.minimum(1)),
  /** What the retake replaces: the audio and the video, or the video only. */
  retake_mode: z.enum(["replace_audio_and_video", "replace_video_only"]),
});

/** The input schema of `ltx-2-3-retake-video` (reference: "LTX v2.3 › Video to Video (Video Editing)"). */
export type Ltx23RetakeVideoSchema = z.ZodMiniObject<ReturnType<typeof ltx23RetakeVideoShape>, z.core.$strict>;

/** Input of `ltx-2-3-retake-video`. */
export type Ltx23RetakeVideoInput = z.input<Ltx23RetakeVideoSchema>;

/** LTX v2.3 Retake Video: regenerates a time range of an existing video. */
export const ltx23RetakeVideo = defineModel({
  id: "ltx-2-3-retake-video",
  path: "/ltx-2-3-retake-video/v1/ltx-2-3-retake-video-request",
  title: "LTX v2.3 Retake Video",
  summary: "Regenerates a time range of an existing video (video only, or video and audio).",
  input: (): Ltx23RetakeVideoSchema => z.strictObject(ltx23RetakeVideoShape()),
  shortcut: { group: "ltx23", name: "retakeVideo" },
  // The retaken segment's length; fps and size come from the source video, unknown here.
  work: (input) => positiveOr(input.duration, 1),
});
