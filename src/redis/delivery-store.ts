import * as z from "zod/mini";
import { checkOptions, numberFrom } from "../options/checks.js";
import type { DeliveryStore } from "../webhooks/delivery-store.js";
import { type RedisClientLike, redisConnection } from "./connection.js";

const TTL = z.object({
  ttlMs: numberFrom(1, Number.MAX_SAFE_INTEGER, "an integer ≥ 1 (milliseconds)", { integer: true }),
});

/** Options of {@link redisDeliveryStore}. */
export interface RedisDeliveryStoreOptions {
  /**
   * Prefix of the keys written, one per delivery.
   * @default "pixazo:delivery:"
   */
  readonly keyPrefix?: string | undefined;
  /**
   * How long a delivery is remembered, in ms: a duplicate arriving later is handled again. The
   * reference gives no retry window for callbacks; a day covers any retry schedule seen in
   * practice and keeps the key count bounded by a day's deliveries.
   * @default 86_400_000 (24 hours)
   */
  readonly ttlMs?: number | undefined;
}

/** Default lifetime of a delivery key. */
export const DEFAULT_DELIVERY_TTL_MS = 24 * 3_600_000;

/**
 * A {@link DeliveryStore} in Redis, shared by every receiver of a fleet: `SET key 1 NX PX ttl`
 * answers, atomically on the server, whether this delivery is new. A callback the gateway
 * delivers twice, to two instances behind a load balancer, is handled by exactly one of them.
 *
 * @param redis a connected client of `ioredis` or `redis` (node-redis); the package depends on
 * neither.
 * @throws {ValidationError} when `redis` is neither client, or `ttlMs` is not a positive integer.
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * import { redisDeliveryStore } from "pixazo-ltx/redis";
 * const receiver = new WebhookReceiver({ verify: client, store: redisDeliveryStore(new Redis()) });
 * ```
 */
export function redisDeliveryStore(redis: RedisClientLike, options: RedisDeliveryStoreOptions = {}): DeliveryStore {
  const connection = redisConnection(redis);
  const prefix = options.keyPrefix ?? "pixazo:delivery:";
  const ttlMs = options.ttlMs ?? DEFAULT_DELIVERY_TTL_MS;
  checkOptions(TTL, { ttlMs });
  return {
    markSeen: async (key) =>
      (await connection.command(["SET", `${prefix}${key}`, "1", "NX", "PX", String(ttlMs)])) === "OK",
  };
}
