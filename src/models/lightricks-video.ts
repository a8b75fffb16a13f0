import { z } from "zod";
import { defineModel } from "./define.js";
import { httpUrl, promptText } from "./fields.js";

/** Input of `lightricks-video` (reference: "LTX v2 Pro › Text to Video"). */
export const lightricksVideoInput = z.strictObject({
  /** The video to generate. Specific, descriptive prompts work best. */
  prompt: promptText(),
  /** Image URL for image-to-video mode. Must be publicly accessible (HTTPS recommended). */
  image: httpUrl().optional(),
  /**
   * Video duration in seconds.
   * @default 6
   */
  duration: z.literal([6, 8, 10]).optional(),
  /**
   * Output resolution.
   * @default "1080p"
   */
  resolution: z.enum(["1080p", "1440p", "2160p"]).optional(),
  /**
   * Generate audio for the video (preview quality).
   * @default true
   */
  generate_audio: z.boolean().optional(),
  /**
   * Callback URL for completion notification, handled by the model itself. The `webhook` option
   * of `submit` works for every model instead.
   */
  webhook: httpUrl().optional(),
  /**
   * Events that trigger `webhook`: `["*"]` for all, `["completed"]` for success or failure only.
   * @default ["*"]
   */
  webhook_events_filter: (
    z
      .array(z.string())
      .refine((events) => events.length === 1 && (events[0] === "*" || events[0] === "completed"), {
        message: "must be one of the two documented filters",
        params: { allowed: '["*"] or ["completed"]' },
      })
      .meta({ description: '["*"] or ["completed"]' }) as unknown as z.ZodType<
      ["*"] | ["completed"],
      ["*"] | ["completed"]
    >
  ).optional(),
});

/** Input of `lightricks-video`. */
export type LightricksVideoInput = z.input<typeof lightricksVideoInput>;

/** LTX v2 Pro: a video from a prompt, or from an image and a prompt, with optional audio. */
export const lightricksVideo = defineModel({
  id: "lightricks-video",
  path: "/lightricks/v1/ltx/generate",
  title: "LTX v2 Pro",
  summary: "Generates a video from a prompt, or from an image and a prompt, with optional audio.",
  input: lightricksVideoInput,
  helper: { group: "ltx2", name: "pro" },
});
