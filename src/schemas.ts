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
export { lightricksVideoInput } from "./models/lightricks-video.js";
export { ltx23AudioToVideoInput } from "./models/ltx-2-3-audio-to-video.js";
export { ltx23ImageToVideoInput } from "./models/ltx-2-3-image-to-video.js";
export { ltx23RetakeVideoInput } from "./models/ltx-2-3-retake-video.js";
export { ltx23TextToVideoInput } from "./models/ltx-2-3-text-to-video.js";
export { ltx219bApi513Input } from "./models/ltx-2-19b-api-513.js";
export { ltx2VideoApi581Input } from "./models/ltx-2-video-api-581.js";
export { validateInput } from "./models/validate.js";
