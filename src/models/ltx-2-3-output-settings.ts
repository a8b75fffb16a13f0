import * as z from "zod/mini";

/**
 * The output settings LTX v2.3 text-to-video and image-to-video share (reference, "Request
 * Parameters" of both): same fields, same closed lists, same defaults.
 */
export const ltx23OutputSettings = () => ({
  /**
   * Duration of the generated video, in seconds.
   * @default 6
   */
  duration: z.optional(z.literal([6, 8, 10])),
  /**
   * Output video resolution.
   * @default "1080p"
   */
  resolution: z.optional(z.enum(["1080p", "1440p", "2160p"])),
  /**
   * Frames per second of the output video.
   * @default 25
   */
  fps: z.optional(z.literal([24, 25, 48, 50])),
  /**
   * Whether to generate synchronized audio; `false` gives a silent video.
   * @default true
   */
  generate_audio: z.optional(z.boolean()),
});
