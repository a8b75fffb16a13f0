import type { JobStatus } from "./status.js";

/** A status pushed to a waiter, e.g. by a webhook delivery. */
export interface JobEvent {
  readonly status: JobStatus;
  /**
   * Whether the status came from the gateway with the caller's key (a verified webhook). An
   * unverified event only prompts an immediate status read; it is never trusted as the result.
   */
  readonly verified: boolean;
}

/** Something that pushes job statuses as they happen: a `WebhookReceiver`, `RedisJobEvents`. */
export interface JobEventSource {
  /**
   * Calls `listener` with each event for `requestId` from now on, and at once with the latest one
   * already received, if any. Returns a function that stops the calls.
   */
  subscribe(requestId: string, listener: (event: JobEvent) => void): () => void;
}
