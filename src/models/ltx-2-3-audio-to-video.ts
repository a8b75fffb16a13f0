import * as z from "zod/mini";
import { defineModel } from "./define.js";
import { httpUrl, promptText } from "./fields.js";

const ltx23AudioToVideoShape = () => ({
  /** The scene: subject, action, lighting and environment. */
  prompt: promptText(),
  /** Publicly accessible URL of an audio file (MP3, WAV, ...) that drives motion and timing. */
  audio_url: httpUrl(),
  /**
   * Publicly accessible URL of a starting frame. Without it, the model generates the first frame
   * from the prompt.
   */
  image_url: z.optional(httpUrl()),
  /**
   * How closely the output follows the prompt: higher (9–12) for fidelity, lower (5–7) for
   * creative variation.
   * @default 7.5
   */
  guidance_scale: z.optional(z.number()),
});

/** The input schema of `ltx-2-3-audio-to-video` (reference: "LTX v2.3 › Audio to Video"). */
export type Ltx23AudioToVideoSchema = z.ZodMiniObject<ReturnType<typeof ltx23AudioToVideoShape>, z.core.$strict>;

/** Input of `ltx-2-3-audio-to-video`. */
export type Ltx23AudioToVideoInput = z.input<Ltx23AudioToVideoSchema>;

/** LTX v2.3 Audio to Video: a video whose motion and timing follow an audio track. */
export const ltx23AudioToVideo = defineModel({
  id: "ltx-2-3-audio-to-video",
  path: "/ltx-2-3-audio-to-video/v1/ltx-2-3-audio-to-video-request",
  title: "LTX v2.3 Audio to Video",
  summary: "Generates a video whose motion and timing follow an audio track.",
  input: (): Ltx23AudioToVideoSchema => z.strictObject(ltx23AudioToVideoShape()),
  shortcut: { group: "ltx23", name: "audioToVideo" },
  // The length follows the audio and the size the image, neither known here: every job alike.
  work: () => 1,
});
