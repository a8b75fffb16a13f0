import * as z from "zod/mini";
import { defineModel } from "./define.js";
import { httpUrl, type OpenValue, openString, promptText } from "./fields.js";
import { positiveOr, sizeMegapixels } from "./work.js";

/*
 * The reference gives this model's optional fields without defaults and, for several, only
 * example values ("Use 'auto' ... or specify '512x512', '768x768', etc."). Documented values are
 * typed for autocomplete; other strings pass, so the gateway stays the judge.
 */

/**
 * `"auto"`, or a size such as `"512x512"` or `"768x768"`. The reference gives these as examples
 * ("etc."), not as a closed list or a format, so any other non-empty string is sent as given.
 */
export type VideoSize = OpenValue<typeof VIDEO_SIZE_EXAMPLES>;

const VIDEO_SIZE_EXAMPLES = ["auto", "512x512", "768x768"] as const;

const ltx219bApi513Shape = () => ({
  /** Guides the generation: actions, style and context. */
  prompt: promptText(),
  /** Publicly accessible URL of the image to animate. */
  image_url: httpUrl(),
  /** Total frames to generate; more frames give a smoother, longer animation. */
  num_frames: z.optional(z.int().check(z.minimum(1))),
  /**
   * Output resolution: `"auto"` derives it from the input image; otherwise a size such as
   * `"512x512"` or `"768x768"` (the reference's examples; other strings are sent as given).
   */
  video_size: z.optional(openString(VIDEO_SIZE_EXAMPLES)),
  /** Generate synchronized audio from the prompt, embedded in the video. */
  generate_audio: z.optional(z.boolean()),
  /** Multi-scale motion generation, for more natural motion across spatial scales. */
  use_multiscale: z.optional(z.boolean()),
  /** Frames per second of the output; higher is smoother. */
  fps: z.optional(z.int().check(z.minimum(1))),
  /** Hardware acceleration mode: `"none"` (CPU only) or `"cuda"` where supported. */
  acceleration: z.optional(openString(["none", "cuda"])),
  /** Camera motion LoRA: `"none"` for no camera motion, or the name of a trained LoRA. */
  camera_lora: z.optional(openString(["none"])),
  /** Strength of the camera LoRA, 0 to 2; above 1 amplifies motion. */
  camera_lora_scale: z.optional(z.number().check(z.minimum(0), z.maximum(2))),
  /** What to keep out of the output (artifacts, distortions). */
  negative_prompt: z.optional(z.string()),
  /** Content safety filtering of the output. */
  enable_safety_checker: z.optional(z.boolean()),
  /** Output file format: `"X264 (.mp4)"`, `"H265 (.mp4)"` or `"WebM"`. */
  video_output_type: z.optional(openString(["X264 (.mp4)", "H265 (.mp4)", "WebM"])),
  /** Quality level: `"low"`, `"balanced"` or `"high"`; higher is larger and slower. */
  video_quality: z.optional(openString(["low", "balanced", "high"])),
  /** Frame writing strategy: `"fast"`, `"balanced"` or `"high-quality"`. */
  video_write_mode: z.optional(openString(["fast", "balanced", "high-quality"])),
});

/** The input schema of `ltx-2-19b-api-513` (reference: "LTX v2 19B › Image to Video"). */
export type Ltx219bApi513Schema = z.ZodMiniObject<ReturnType<typeof ltx219bApi513Shape>, z.core.$strict>;

/** Input of `ltx-2-19b-api-513`. */
export type Ltx219bApi513Input = z.input<Ltx219bApi513Schema>;

/** LTX v2 19B: image to video with fine control over frames, size, camera LoRA and encoding. */
export const ltx219bApi513 = defineModel({
  id: "ltx-2-19b-api-513",
  path: "/ltx-2-19b-api-513/v1/ltx-2-19b-api-request",
  title: "LTX v2 19B Image to Video",
  summary: "Image-to-video with the 19B model and fine control over frames, size, camera LoRA and encoding.",
  input: (): Ltx219bApi513Schema => z.strictObject(ltx219bApi513Shape()),
  shortcut: { group: "ltx2", name: "imageToVideo19b" },
  // The reference gives no defaults: 121 frames at 768x768 (its example size) stand in for them.
  work: (input) => positiveOr(input.num_frames, 121) * sizeMegapixels(input.video_size, (768 * 768) / 1e6),
});
