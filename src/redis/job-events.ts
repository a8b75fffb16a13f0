import * as z from "zod/mini";
import { ValidationError } from "../errors/errors.js";
import type { JobEvent, JobEventSource } from "../job/events.js";
import { isTerminal, type JobStatus, jobStatusSchema, MAX_REQUEST_ID_LENGTH } from "../job/status.js";
import { checkOptions, numberFrom } from "../options/checks.js";
import { errorReporter, type RedisClientLike, type RedisConnection, redisConnection } from "./connection.js";
import { Subscriptions } from "./subscriptions.js";

const RECORD_TTL = z.object({
  recordTtlMs: numberFrom(1, Number.MAX_SAFE_INTEGER, "an integer ≥ 1 (milliseconds)", { integer: true }),
});

/*
 * Job events across a fleet. A webhook receiver hears a callback in one process; a `wait` with
 * `events` runs in another. The receiver publishes each event on a Redis channel of its own job,
 * and keeps the last terminal event of each job for a while under a key, so a wait that starts
 * (or subscribes) after the callback came still hears it: it subscribes first, then reads the
 * key, and so misses nothing in between (it may hear the same event twice, which a wait ignores).
 * Redis is inside the trust boundary: whoever can publish there can end a wait, as whoever can
 * call `receiver.nodeHandler()` can without `verify`.
 */

/** Options of {@link RedisJobEvents}. */
export interface RedisJobEventsOptions {
  /** A connected client of `ioredis` or `redis` (node-redis), for PUBLISH, SET and GET. */
  readonly redis: RedisClientLike;
  /**
   * A connection for SUBSCRIBE, which Redis reserves to subscribing once used for it. Companions
   * given the same one share its subscriptions, counted per channel.
   * @default a duplicate of `redis`, made on the first subscribe (its errors routed to `onError`)
   * and closed by `close()`
   */
  readonly subscriber?: RedisClientLike | undefined;
  /**
   * Prefix of the channels (`<prefix>events:<request_id>`) and keys (`<prefix>latest:<request_id>`).
   * @default "pixazo:"
   */
  readonly keyPrefix?: string | undefined;
  /**
   * How long the last terminal event of a job is kept for waits that subscribe after it came, ms.
   * @default 3_600_000 (1 hour)
   */
  readonly recordTtlMs?: number | undefined;
  /**
   * Told of a Redis command that failed, a message that was refused (too large, not an event of
   * its channel's job), and the first error of each outage of the subscriber connection (which
   * reconnects and resubscribes by itself). A wait goes on polling regardless.
   * @default one process warning per error
   */
  readonly onError?: ((error: Error) => void) | undefined;
}

/** Longest event message read from Redis; a status object is a few hundred bytes. */
export const MAX_EVENT_MESSAGE_BYTES = 256 * 1024;

/**
 * A {@link JobEventSource} over Redis pub/sub: `wait(id, { events })` in any process ends when any
 * receiver of the fleet got the job's callback. Receivers publish with `publish`, typically from
 * their `onEvent`.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * import { RedisJobEvents, redisDeliveryStore } from "pixazo-ltx/redis";
 * const redis = new Redis();
 * const events = new RedisJobEvents({ redis });
 * // In each receiver process:
 * const receiver = new WebhookReceiver({
 *   verify: client,
 *   store: redisDeliveryStore(redis),
 *   onEvent: (_, event) => events.publish(event),
 * });
 * // In each worker process:
 * const job = await client.wait(requestId, { events });
 * ```
 */
export class RedisJobEvents implements JobEventSource {
  readonly #redis: RedisConnection;
  readonly #subscriptions: Subscriptions;
  readonly #prefix: string;
  readonly #recordTtlMs: number;
  readonly #report: (error: unknown) => void;
  /** How to stop each live subscription, for close(). */
  readonly #live = new Set<() => void>();
  #closed = false;

  /**
   * @throws {ValidationError} when a client is of neither kind or is a cluster client, or
   * `recordTtlMs` is not a positive integer.
   */
  constructor(options: RedisJobEventsOptions) {
    this.#redis = redisConnection(options.redis);
    this.#prefix = options.keyPrefix ?? "pixazo:";
    this.#recordTtlMs = options.recordTtlMs ?? 3_600_000;
    checkOptions(RECORD_TTL, { recordTtlMs: this.#recordTtlMs });
    this.#report = errorReporter(options.onError);
    this.#subscriptions = Subscriptions.for(options.redis, options.subscriber, this.#report);
  }

  /**
   * Sends `event` to every process subscribed to its job, and keeps a terminal one for waits
   * that subscribe later (`recordTtlMs`). A listener may hear one event twice (published while
   * it subscribed, and read from the kept record); a `wait` takes the first.
   *
   * @throws {ValidationError} when `event` is not a status object as the reference describes it
   * (what subscribers would refuse), before anything is sent.
   * @throws the Redis client's error when a command fails.
   */
  async publish(event: JobEvent): Promise<void> {
    const parsed = jobStatusSchema.safeParse(event?.status);
    const requestId = parsed.success ? parsed.data.request_id : undefined;
    if (!parsed.success || typeof event.verified !== "boolean" || requestId === undefined) {
      throw new ValidationError([
        {
          path: parsed.success ? ["verified"] : ["status", ...(parsed.error.issues[0]?.path ?? []).map(String)],
          message: parsed.success
            ? "is not true or false"
            : `is not a job status as the reference describes it (${parsed.error.issues[0]?.message ?? "invalid"})`,
          allowed: "{ status: <a status object>, verified: boolean }",
        },
      ]);
    }
    if (requestId.length > MAX_REQUEST_ID_LENGTH) return;
    const message = JSON.stringify({ status: event.status, verified: event.verified });
    // The record first: a wait that subscribes between the two commands reads it.
    if (isTerminal(event.status)) {
      await this.#redis.command(["SET", this.#key(requestId), message, "PX", String(this.#recordTtlMs)]);
    }
    await this.#redis.command(["PUBLISH", this.#channel(requestId), message]);
  }

  /**
   * Calls `listener` with each event of `requestId` published from now on, and with the job's
   * terminal event if one was published within `recordTtlMs` (read once the subscription is
   * confirmed, so nothing published in between is missed). Returns a function that stops it.
   * While Redis is down nothing is kept but the listener itself; the subscription is made when
   * Redis is back.
   */
  subscribe(requestId: string, listener: (event: JobEvent) => void): () => void {
    if (this.#closed || requestId.length > MAX_REQUEST_ID_LENGTH) return () => {};
    let live = true;
    const remove = this.#subscriptions.add(
      this.#channel(requestId),
      (message) => {
        const event = this.#parse(requestId, message);
        if (event) listener(event);
      },
      () => {
        if (live) void this.#replayRecord(requestId, listener);
      },
    );
    const stop = () => {
      live = false;
      this.#live.delete(stop);
      remove();
    };
    this.#live.add(stop);
    return stop;
  }

  /** Unsubscribes from everything and closes the subscriber connection if this object made it. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const stop of [...this.#live]) stop();
    await this.#subscriptions.release(this.#report);
  }

  async #replayRecord(requestId: string, listener: (event: JobEvent) => void): Promise<void> {
    try {
      const stored = await this.#redis.command(["GET", this.#key(requestId)]);
      if (stored === null || stored === undefined) return;
      const event = this.#parse(requestId, String(stored));
      if (event) listener(event);
    } catch (error) {
      this.#report(error);
    }
  }

  /** The event in `message`, if it is one, of this job, within bounds; otherwise reported. */
  #parse(requestId: string, message: string): JobEvent | undefined {
    if (message.length > MAX_EVENT_MESSAGE_BYTES) {
      this.#report(new Error(`an event message of ${message.length} bytes for ${requestId} was dropped`));
      return undefined;
    }
    let problem: string;
    try {
      const { status, verified } = JSON.parse(message) as { status?: unknown; verified?: unknown };
      const parsed = jobStatusSchema.safeParse(status);
      if (parsed.success && typeof verified === "boolean" && parsed.data.request_id === requestId) {
        return { status: parsed.data as JobStatus, verified };
      }
      problem = !parsed.success
        ? "its status is not a status object"
        : typeof verified !== "boolean"
          ? "it has no verified flag"
          : "it is another job's";
    } catch {
      problem = "it is not JSON";
    }
    this.#report(
      new Error(`a message on the channel of ${requestId} is not an event of that job (${problem}); dropped`),
    );
    return undefined;
  }

  #channel(requestId: string): string {
    return `${this.#prefix}events:${requestId}`;
  }

  #key(requestId: string): string {
    return `${this.#prefix}latest:${requestId}`;
  }
}
