import * as z from "zod/mini";
import { defineModel } from "./define.js";
import { httpUrl, promptText } from "./fields.js";
import { positiveOr, resolutionMegapixels } from "./work.js";

const ltx2VideoApi581Shape = () => ({
  /** Publicly accessible URL of the input image (JPEG or PNG). */
  image_url: httpUrl(),
  /** The desired motion, camera movement and visual context. */
  prompt: promptText(),
  /**
   * Duration of the video in seconds.
   * @default 6
   */
  duration: z.optional(z.literal([6, 8, 10])),
  /**
   * Output resolution.
   * @default "1080p"
   */
  resolution: z.optional(z.enum(["720p", "1080p", "2160p"])),
  /**
   * Frames per second.
   * @default 25
   */
  fps: z.optional(z.literal([24, 25, 30])),
  /**
   * Generate synchronized audio matching the motion and mood.
   * @default false
   */
  generate_audio: z.optional(z.boolean()),
});

/** The input schema of `ltx-2-video-api-581` (reference: "LTX v2 › Image to Video"). */
export type Ltx2VideoApi581Schema = z.ZodMiniObject<ReturnType<typeof ltx2VideoApi581Shape>, z.core.$strict>;

/** Input of `ltx-2-video-api-581`. */
export type Ltx2VideoApi581Input = z.input<Ltx2VideoApi581Schema>;

/** LTX v2 Image to Video: animates an image into a video guided by a prompt. */
export const ltx2VideoApi581 = defineModel({
  id: "ltx-2-video-api-581",
  path: "/ltx-2-video-api-581/v1/ltx-2-video-api-request",
  title: "LTX v2 Image to Video",
  summary: "Animates an image into a video guided by a prompt, with optional audio.",
  input: (): Ltx2VideoApi581Schema => z.strictObject(ltx2VideoApi581Shape()),
  shortcut: { group: "ltx2", name: "imageToVideo" },
  work: (input) => positiveOr(input.duration, 6) * positiveOr(input.fps, 25) * resolutionMegapixels(input.resolution),
});
