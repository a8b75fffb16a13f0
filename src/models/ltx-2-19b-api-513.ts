import { z } from "zod";
import { defineModel } from "./define.js";
import { httpUrl, openString, promptText } from "./fields.js";

/*
 * The reference gives this model's optional fields without defaults and, for several, only
 * example values ("Use 'auto' ... or specify '512x512', '768x768', etc."). Documented values are
 * typed for autocomplete; other strings pass, so the gateway stays the judge.
 */

/** `"auto"`, or `"WIDTHxHEIGHT"` such as `"768x768"`. */
export type VideoSize = "auto" | `${number}x${number}`;

/** Input of `ltx-2-19b-api-513` (reference: "LTX v2 19B › Image to Video"). */
export const ltx219bApi513Input = z.strictObject({
  /** Guides the generation: actions, style and context. */
  prompt: promptText(),
  /** Publicly accessible URL of the image to animate. */
  image_url: httpUrl(),
  /** Total frames to generate; more frames give a smoother, longer animation. */
  num_frames: z.int().min(1).optional(),
  /**
   * Output resolution: `"auto"` derives it from the input image, or `"WIDTHxHEIGHT"` such as
   * `"512x512"` or `"768x768"`.
   */
  video_size: z
    .string()
    .refine((value) => value === "auto" || /^\d+x\d+$/.test(value), {
      message: 'must be "auto" or WIDTHxHEIGHT',
      params: { allowed: '"auto" or "WIDTHxHEIGHT", e.g. "768x768"' },
    })
    .meta({ description: '"auto" or WIDTHxHEIGHT', examples: ["auto", "512x512", "768x768"] })
    .optional() as z.ZodOptional<z.ZodType<VideoSize, VideoSize>>,
  /** Generate synchronized audio from the prompt, embedded in the video. */
  generate_audio: z.boolean().optional(),
  /** Multi-scale motion generation, for more natural motion across spatial scales. */
  use_multiscale: z.boolean().optional(),
  /** Frames per second of the output; higher is smoother. */
  fps: z.int().min(1).optional(),
  /** Hardware acceleration mode: `"none"` (CPU only) or `"cuda"` where supported. */
  acceleration: openString(["none", "cuda"]).optional(),
  /** Camera motion LoRA: `"none"` for no camera motion, or the name of a trained LoRA. */
  camera_lora: openString(["none"]).optional(),
  /** Strength of the camera LoRA, 0 to 2; above 1 amplifies motion. */
  camera_lora_scale: z.number().min(0).max(2).optional(),
  /** What to keep out of the output (artifacts, distortions). */
  negative_prompt: z.string().optional(),
  /** Content safety filtering of the output. */
  enable_safety_checker: z.boolean().optional(),
  /** Output file format: `"X264 (.mp4)"`, `"H265 (.mp4)"` or `"WebM"`. */
  video_output_type: openString(["X264 (.mp4)", "H265 (.mp4)", "WebM"]).optional(),
  /** Quality level: `"low"`, `"balanced"` or `"high"`; higher is larger and slower. */
  video_quality: openString(["low", "balanced", "high"]).optional(),
  /** Frame writing strategy: `"fast"`, `"balanced"` or `"high-quality"`. */
  video_write_mode: openString(["fast", "balanced", "high-quality"]).optional(),
});

/** Input of `ltx-2-19b-api-513`. */
export type Ltx219bApi513Input = z.input<typeof ltx219bApi513Input>;

/** LTX v2 19B: image to video with fine control over frames, size, camera LoRA and encoding. */
export const ltx219bApi513 = defineModel({
  id: "ltx-2-19b-api-513",
  path: "/ltx-2-19b-api-513/v1/ltx-2-19b-api-request",
  title: "LTX v2 19B Image to Video",
  summary: "Image-to-video with the 19B model and fine control over frames, size, camera LoRA and encoding.",
  input: ltx219bApi513Input,
  helper: { group: "ltx2", name: "imageToVideo19b" },
});
