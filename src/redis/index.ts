/**
 * `pixazo-ltx/redis`: what a fleet of processes shares through Redis. Takes your own `ioredis` or
 * `redis` (node-redis) client; the package depends on neither.
 *
 * @packageDocumentation
 */
export type { IoRedisLike, NodeRedisLike, RedisClientLike } from "./connection.js";
export { DEFAULT_DELIVERY_TTL_MS, type RedisDeliveryStoreOptions, redisDeliveryStore } from "./delivery-store.js";
export { MAX_EVENT_MESSAGE_BYTES, RedisJobEvents, type RedisJobEventsOptions } from "./job-events.js";
export { RedisRateLimitPause, type RedisRateLimitPauseOptions } from "./rate-limit-pause.js";
