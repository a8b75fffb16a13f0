import * as z from "zod/mini";
import { defineModel } from "./define.js";
import { httpUrl, promptText } from "./fields.js";
import { positiveOr, resolutionMegapixels } from "./work.js";

const lightricksVideoShape = () => ({
  /** The video to generate. Specific, descriptive prompts work best. */
  prompt: promptText(),
  /** Image URL for image-to-video mode. Must be publicly accessible (HTTPS recommended). */
  image: z.optional(httpUrl()),
  /**
   * Video duration in seconds.
   * @default 6
   */
  duration: z.optional(z.literal([6, 8, 10])),
  /**
   * Output resolution.
   * @default "1080p"
   */
  resolution: z.optional(z.enum(["1080p", "1440p", "2160p"])),
  /**
   * Generate audio for the video (preview quality).
   * @default true
   */
  generate_audio: z.optional(z.boolean()),
  /**
   * Callback URL for completion notification, handled by the model itself. The `webhook` option
   * of `submit` works for every model instead.
   */
  webhook: z.optional(httpUrl()),
  /**
   * Events that trigger `webhook`: `["*"]` for all, `["completed"]` for success or failure only.
   * @default ["*"]
   */
  webhook_events_filter: z.optional(
    z.array(z.string()).check(
      z.refine((events) => events.length === 1 && (events[0] === "*" || events[0] === "completed"), {
        message: "must be one of the two documented filters",
        params: { allowed: '["*"] or ["completed"]' },
      }),
      z.meta({ description: '["*"] or ["completed"]' }),
    ) as unknown as z.ZodMiniType<["*"] | ["completed"], ["*"] | ["completed"]>,
  ),
});

/** The input schema of `lightricks-video` (reference: "LTX v2 Pro › Text to Video"). */
export type LightricksVideoSchema = z.ZodMiniObject<ReturnType<typeof lightricksVideoShape>, z.core.$strict>;

/** Input of `lightricks-video`. */
export type LightricksVideoInput = z.input<LightricksVideoSchema>;

/** LTX v2 Pro: a video from a prompt, or from an image and a prompt, with optional audio. */
export const lightricksVideo = defineModel({
  id: "lightricks-video",
  path: "/lightricks/v1/ltx/generate",
  title: "LTX v2 Pro",
  summary: "Generates a video from a prompt, or from an image and a prompt, with optional audio.",
  input: (): LightricksVideoSchema => z.strictObject(lightricksVideoShape()),
  shortcut: { group: "ltx2", name: "pro" },
  // The reference gives this model no fps: its length and size alone measure the work.
  work: (input) => positiveOr(input.duration, 6) * resolutionMegapixels(input.resolution),
});
