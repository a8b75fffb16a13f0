/*
 * The main entry: the client, its errors, and the types its calls take and return. Chosen on
 * purpose and kept small (25 values; the API report in api/ makes any change a reviewed diff):
 * the schemas are on `pixazo-ltx/schemas`, the webhook tools beyond the receiver on
 * `pixazo-ltx/webhooks`, the test kit on `pixazo-ltx/testing`, the Redis companion on
 * `pixazo-ltx/redis`.
 */
export type { BatchOptions } from "./batch/generate-many.js";
export type { BatchItem } from "./batch/items.js";
export type { BatchManifest, BatchRecord, SavedFile } from "./batch/manifest.js";
export type { BatchOutcome, BatchProgress, BatchResult } from "./batch/run.js";
export { Pixazo } from "./client.js";
export type {
  GenerateManyOptions,
  GenerateOptions,
  PixazoOptions,
  StatusOptions,
  SubmitOptions,
  WaitOptions,
} from "./client-options.js";
export type { DownloadOptions, DownloadProgress, DownloadResult } from "./download/download.js";
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
export type { WebhookRegistration } from "./gateway/webhook-registration.js";
export type { FetchLike } from "./http/transport.js";
export type { JobEvent, JobEventSource } from "./job/events.js";
export {
  type CompletedJob,
  type JobOutput,
  type JobStatus,
  type JobStatusValue,
  parseGatewayTimestamp,
  type SubmittedJob,
  undocumentedFields,
} from "./job/status.js";
export type { ModelShortcut, ModelShortcuts } from "./model-shortcuts.js";
export type { ModelDefinition, ModelInputSchema } from "./models/define.js";
export type { OpenValue } from "./models/fields.js";
export type { LightricksVideoInput } from "./models/lightricks-video.js";
export type { Ltx23AudioToVideoInput } from "./models/ltx-2-3-audio-to-video.js";
export type { Ltx23ImageToVideoInput } from "./models/ltx-2-3-image-to-video.js";
export type { Ltx23RetakeVideoInput } from "./models/ltx-2-3-retake-video.js";
export type { Ltx23TextToVideoInput } from "./models/ltx-2-3-text-to-video.js";
export type { Ltx219bApi513Input, VideoSize } from "./models/ltx-2-19b-api-513.js";
export type { Ltx2VideoApi581Input } from "./models/ltx-2-video-api-581.js";
export { type InputOf, MODELS, type ModelId, type ModelOf } from "./models/registry.js";
export type { ExtraFields, UncheckedFields } from "./models/validate.js";
export type { CompletionEstimate } from "./polling/estimate.js";
export type { PollIntervals } from "./polling/schedule.js";
export type { WaitProgress } from "./polling/wait.js";
export type { RunTimeStore } from "./run-time-store/format.js";
export type { DeliveryStore } from "./webhooks/delivery-store.js";
export type { FetchWebhookHandler } from "./webhooks/fetch-handler.js";
export type { NodeWebhookHandler } from "./webhooks/node-handler.js";
export { type StatusReader, WebhookReceiver, type WebhookReceiverOptions } from "./webhooks/receiver.js";
