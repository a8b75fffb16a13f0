export { type DeliveryStore, MemoryDeliveryStore } from "./delivery-store.js";
export type { FetchWebhookHandler } from "./fetch-handler.js";
export type { NodeWebhookHandler } from "./node-handler.js";
export { parseWebhook } from "./payload.js";
export {
  DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  type StatusReader,
  WebhookReceiver,
  type WebhookReceiverOptions,
} from "./receiver.js";
