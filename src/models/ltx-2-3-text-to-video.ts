import * as z from "zod/mini";
import { defineModel } from "./define.js";
import { promptText } from "./fields.js";
import { ltx23OutputSettings } from "./ltx-2-3-output-settings.js";
import { positiveOr, resolutionMegapixels } from "./work.js";

const ltx23TextToVideoShape = () => ({
  /** Text description of the video. Detailed, descriptive prompts give the best results. */
  prompt: promptText(),
  ...ltx23OutputSettings(),
  /**
   * Video aspect ratio.
   * @default "16:9"
   */
  aspect_ratio: z.optional(z.enum(["16:9", "9:16"])),
});

/** The input schema of `ltx-2-3-text-to-video` (reference: "LTX v2.3 › Text to Video"). */
export type Ltx23TextToVideoSchema = z.ZodMiniObject<
  // The shared settings named again: a spread alone would lose their TSDoc in the published types.
  ReturnType<typeof ltx23TextToVideoShape> & ReturnType<typeof ltx23OutputSettings>,
  z.core.$strict
>;

/** Input of `ltx-2-3-text-to-video`. */
export type Ltx23TextToVideoInput = z.input<Ltx23TextToVideoSchema>;

/** LTX v2.3 Text to Video: a video, with optional synchronized audio, from a text prompt. */
export const ltx23TextToVideo = defineModel({
  id: "ltx-2-3-text-to-video",
  path: "/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request",
  title: "LTX v2.3 Text to Video",
  summary: "Generates a video, with optional synchronized audio, from a text prompt.",
  input: (): Ltx23TextToVideoSchema => z.strictObject(ltx23TextToVideoShape()),
  shortcut: { group: "ltx23", name: "textToVideo" },
  work: (input) => positiveOr(input.duration, 6) * positiveOr(input.fps, 25) * resolutionMegapixels(input.resolution),
});
