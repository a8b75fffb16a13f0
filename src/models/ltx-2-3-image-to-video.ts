import * as z from "zod/mini";
import { defineModel } from "./define.js";
import { httpUrl, promptText } from "./fields.js";
import { ltx23OutputSettings } from "./ltx-2-3-output-settings.js";
import { positiveOr, resolutionMegapixels } from "./work.js";

const ltx23ImageToVideoShape = () => ({
  /** URL of the start image. Must be publicly accessible. */
  image_url: httpUrl(),
  /**
   * URL of an end image: the video becomes a transition from the start frame to this one.
   * Must be publicly accessible.
   */
  end_image_url: z.optional(httpUrl()),
  /** The desired motion, style and scene details. */
  prompt: promptText(),
  ...ltx23OutputSettings(),
  /**
   * Aspect ratio of the output; `"auto"` infers it from the input image.
   * @default "auto"
   */
  aspect_ratio: z.optional(z.enum(["auto", "16:9", "9:16"])),
});

/** The input schema of `ltx-2-3-image-to-video` (reference: "LTX v2.3 › Image to Video"). */
export type Ltx23ImageToVideoSchema = z.ZodMiniObject<
  // The shared settings named again: a spread alone would lose their TSDoc in the published types.
  ReturnType<typeof ltx23ImageToVideoShape> & ReturnType<typeof ltx23OutputSettings>,
  z.core.$strict
>;

/** Input of `ltx-2-3-image-to-video`. */
export type Ltx23ImageToVideoInput = z.input<Ltx23ImageToVideoSchema>;

/** LTX v2.3 Image to Video: animates a still image, optionally toward an end frame. */
export const ltx23ImageToVideo = defineModel({
  id: "ltx-2-3-image-to-video",
  path: "/ltx-2-3-image-to-video/v1/ltx-2-3-image-to-video-request",
  title: "LTX v2.3 Image to Video",
  summary: "Animates a still image, optionally toward an end frame, guided by a text prompt.",
  input: (): Ltx23ImageToVideoSchema => z.strictObject(ltx23ImageToVideoShape()),
  shortcut: { group: "ltx23", name: "imageToVideo" },
  work: (input) => positiveOr(input.duration, 6) * positiveOr(input.fps, 25) * resolutionMegapixels(input.resolution),
});
