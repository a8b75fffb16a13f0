import * as z from "zod/mini";
import type { SharedRateLimitPause } from "../gateway/shared-pause.js";
import { checkOptions, text } from "../options/checks.js";
import { errorReporter, type RedisClientLike, type RedisConnection, redisConnection } from "./connection.js";
import { Subscriptions } from "./subscriptions.js";

const CHANNEL = z.object({ channel: text("a channel name") });

/** Options of {@link RedisRateLimitPause}. */
export interface RedisRateLimitPauseOptions {
  /** A connected client of `ioredis` or `redis` (node-redis), for PUBLISH. */
  readonly redis: RedisClientLike;
  /**
   * A connection for SUBSCRIBE. Companions given the same one share its subscriptions, counted
   * per channel.
   * @default a duplicate of `redis`, made on the first subscribe (its errors routed to `onError`)
   * and closed by `close()`
   */
  readonly subscriber?: RedisClientLike | undefined;
  /**
   * Name of the channel: one per key, so give each key of a fleet its own.
   * @default "pixazo:rate-limit-pause"
   */
  readonly channel?: string | undefined;
  /**
   * Told of a message that was refused, and the first error of each outage of the subscriber
   * connection (which reconnects and resubscribes by itself).
   * @default one process warning per error
   */
  readonly onError?: ((error: Error) => void) | undefined;
}

/** Longest pause a message may ask for, as the SDK's longest `Retry-After`. */
const MAX_SHARED_PAUSE_MS = 60_000;

/**
 * The client-wide 429 pause shared over Redis pub/sub by every process of one key: pass it as
 * `sharedRateLimitPause` to each process's client. A process hears its own announcements back
 * and ignores them. A message asks for at most 60 s, and anything else is dropped with a report.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * import { RedisRateLimitPause } from "pixazo-ltx/redis";
 * const client = new Pixazo({ sharedRateLimitPause: new RedisRateLimitPause({ redis: new Redis() }) });
 * ```
 */
export class RedisRateLimitPause implements SharedRateLimitPause {
  readonly #redis: RedisConnection;
  readonly #subscriptions: Subscriptions;
  readonly #channel: string;
  readonly #report: (error: unknown) => void;
  /** Tells this process's own announcements apart from other processes'. */
  readonly #origin = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  readonly #listeners = new Set<(ms: number) => void>();
  /** Ends this object's subscription, while it has one. */
  #unsubscribe: (() => void) | undefined;

  /** @throws {ValidationError} when a client is of neither kind or is a cluster client, or `channel` is empty. */
  constructor(options: RedisRateLimitPauseOptions) {
    this.#redis = redisConnection(options.redis);
    this.#channel = options.channel ?? "pixazo:rate-limit-pause";
    checkOptions(CHANNEL, { channel: this.#channel });
    this.#report = errorReporter(options.onError);
    this.#subscriptions = Subscriptions.for(options.redis, options.subscriber, this.#report);
  }

  /** Publishes a pause of `ms` to the other processes. */
  async announce(ms: number): Promise<void> {
    await this.#redis.command(["PUBLISH", this.#channel, JSON.stringify({ ms, origin: this.#origin })]);
  }

  /**
   * Calls `onPause(ms)` on every pause another process announces. Subscribing while Redis is down
   * works: the subscription is made when it is back.
   */
  subscribe(onPause: (ms: number) => void): () => void {
    this.#listeners.add(onPause);
    this.#unsubscribe ??= this.#subscriptions.add(this.#channel, (message) => this.#receive(message));
    return () => {
      this.#listeners.delete(onPause);
      if (this.#listeners.size > 0) return;
      this.#unsubscribe?.();
      this.#unsubscribe = undefined;
    };
  }

  /** Unsubscribes and closes the subscriber connection if this object made it. */
  async close(): Promise<void> {
    this.#listeners.clear();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#subscriptions.release(this.#report);
  }

  #receive(message: string): void {
    let ms: unknown;
    let origin: unknown;
    try {
      if (message.length <= 1_024) ({ ms, origin } = JSON.parse(message) as { ms?: unknown; origin?: unknown });
    } catch {
      // Reported below.
    }
    if (origin === this.#origin) return;
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0 || ms > MAX_SHARED_PAUSE_MS) {
      this.#report(new Error(`a message on ${this.#channel} is not a pause of up to 60 s; dropped`));
      return;
    }
    for (const listener of [...this.#listeners]) listener(ms);
  }
}
