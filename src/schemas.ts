/**
 * `pixazo-ltx/schemas`: the zod schemas the SDK checks with, for validating forms and payloads of
 * your own: each model's input, the status object and the submit reply, and the status values.
 *
 * @example
 * ```ts
 * import { ltx23TextToVideoInput } from "pixazo-ltx/schemas";
 *
 * const checked = ltx23TextToVideoInput.safeParse({ prompt: "Waves at dusk", duration: 7 });
 * if (!checked.success) console.log(checked.error.issues);
 * ```
 *
 * @packageDocumentation
 */
export {
  jobOutputSchema,
  jobStatusSchema,
  KNOWN_JOB_STATUSES,
  submittedJobSchema,
  TERMINAL_JOB_STATUSES,
} from "./job/status.js";
export { validateInput } from "./models/validate.js";

import { MODELS } from "./models/registry.js";

/** The input schema of `ltx-2-3-text-to-video` (reference: "LTX v2.3 › Text to Video"). */
export const ltx23TextToVideoInput = MODELS["ltx-2-3-text-to-video"].input;
/** The input schema of `ltx-2-3-image-to-video` (reference: "LTX v2.3 › Image to Video"). */
export const ltx23ImageToVideoInput = MODELS["ltx-2-3-image-to-video"].input;
/** The input schema of `ltx-2-3-audio-to-video` (reference: "LTX v2.3 › Audio to Video"). */
export const ltx23AudioToVideoInput = MODELS["ltx-2-3-audio-to-video"].input;
/** The input schema of `ltx-2-3-retake-video` (reference: "LTX v2.3 › Video to Video (Video Editing)"). */
export const ltx23RetakeVideoInput = MODELS["ltx-2-3-retake-video"].input;
/** The input schema of `lightricks-video` (reference: "LTX v2 Pro › Text to Video"). */
export const lightricksVideoInput = MODELS["lightricks-video"].input;
/** The input schema of `ltx-2-19b-api-513` (reference: "LTX v2 19B › Image to Video"). */
export const ltx219bApi513Input = MODELS["ltx-2-19b-api-513"].input;
/** The input schema of `ltx-2-video-api-581` (reference: "LTX v2 › Image to Video"). */
export const ltx2VideoApi581Input = MODELS["ltx-2-video-api-581"].input;
