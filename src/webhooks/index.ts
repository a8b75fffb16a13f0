// What a receiver's code meets, for apps that import "pixazo-ltx/webhooks" alone.
export {
  PixazoError,
  VerificationSkippedError,
  WebhookPayloadError,
  type WebhookPayloadProblem,
} from "../errors/errors.js";
export type { JobEvent, JobEventSource } from "../job/events.js";
export type { JobStatus, JobStatusValue } from "../job/status.js";
export { type DeliveryStore, MemoryDeliveryStore } from "./delivery-store.js";
export type { FetchWebhookHandler } from "./fetch-handler.js";
export type { NodeWebhookHandler } from "./node-handler.js";
export { parseWebhook } from "./payload.js";
export {
  DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  DEFAULT_VERIFY_READS_PER_SECOND,
  DEFAULT_WEBHOOK_BODY_TIMEOUT_MS,
  type StatusReader,
  WebhookReceiver,
  type WebhookReceiverOptions,
} from "./receiver.js";
