export { Pixazo } from "./client.js";
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type GenerateOptions,
  type PixazoOptions,
  type StatusOptions,
  type SubmitOptions,
  type WaitOptions,
} from "./client-options.js";
export type { DownloadOptions, DownloadProgress, DownloadResult } from "./download/download.js";
export { extensionFor, mediaFileNames, sniffExtension } from "./download/file-names.js";
export {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  DownloadError,
  type FailureCharge,
  GenerationFailedError,
  InsufficientBalanceError,
  InternalServerError,
  ModelNotFoundError,
  NotFoundError,
  PermissionDeniedError,
  PixazoError,
  RateLimitError,
  type RequestDescription,
  RequestTimeoutError,
  SubmitUncertainError,
  UnexpectedResponseError,
  ValidationError,
  type ValidationIssue,
  VerificationSkippedError,
  WaitTimeoutError,
  WebhookPayloadError,
  type WebhookPayloadProblem,
} from "./errors/errors.js";
export type { Logger } from "./gateway/gateway.js";
export type { SharedRateLimitPause } from "./gateway/shared-pause.js";
export { WEBHOOK_MODES, type WebhookRegistration } from "./gateway/webhook-registration.js";
export type { FetchLike } from "./http/transport.js";
export { VERSION } from "./internal/version.js";
export type { JobEvent, JobEventSource } from "./job/events.js";
export {
  type CompletedJob,
  type JobOutput,
  type JobStatus,
  type JobStatusValue,
  jobOutputSchema,
  jobStatusSchema,
  KNOWN_JOB_STATUSES,
  parseGatewayTimestamp,
  type SubmittedJob,
  submittedJobSchema,
  TERMINAL_JOB_STATUSES,
  undocumentedFields,
} from "./job/status.js";
export type { ModelShortcut, ModelShortcuts } from "./model-shortcuts.js";
export type { ModelDefinition, ModelInputSchema } from "./models/define.js";
export type { OpenValue } from "./models/fields.js";
export { type LightricksVideoInput, lightricksVideoInput } from "./models/lightricks-video.js";
export { type Ltx23AudioToVideoInput, ltx23AudioToVideoInput } from "./models/ltx-2-3-audio-to-video.js";
export { type Ltx23ImageToVideoInput, ltx23ImageToVideoInput } from "./models/ltx-2-3-image-to-video.js";
export { type Ltx23RetakeVideoInput, ltx23RetakeVideoInput } from "./models/ltx-2-3-retake-video.js";
export { type Ltx23TextToVideoInput, ltx23TextToVideoInput } from "./models/ltx-2-3-text-to-video.js";
export { type Ltx219bApi513Input, ltx219bApi513Input, type VideoSize } from "./models/ltx-2-19b-api-513.js";
export { type Ltx2VideoApi581Input, ltx2VideoApi581Input } from "./models/ltx-2-video-api-581.js";
export { type InputOf, MODELS, type ModelId, type ModelOf } from "./models/registry.js";
export { type ExtraFields, type UncheckedFields, validateInput } from "./models/validate.js";
export type { CompletionEstimate } from "./polling/estimate.js";
export {
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type PollIntervals,
  WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS,
  WEBHOOK_FALLBACK_POLL_INTERVAL_MS,
} from "./polling/schedule.js";
export type { WaitProgress } from "./polling/wait.js";
export type { RunTimeStore } from "./run-time-store/format.js";
export * from "./webhooks/index.js";
