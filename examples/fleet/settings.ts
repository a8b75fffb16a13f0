/**
 * What every process of the fleet reads from its environment: where Redis and the gateway are,
 * the run's name (a prefix for its queues and keys, so runs never mix), and its pace.
 */
import { Redis } from "ioredis";
import { Pixazo, type SharedRateLimitPause } from "pixazo-ltx";

export interface FleetSettings {
  /** `redis://host:port` of the Redis every process shares. */
  readonly redisUrl: string;
  /** Prefix of the run's queues and keys. */
  readonly run: string;
  /** Where callbacks go: the load balancer in front of the receivers. */
  readonly webhookUrl: string;
  /** Jobs each worker process runs at once. */
  readonly concurrency: number;
  /**
   * Base interval between status reads (the client's `pollIntervalMs`): 2 s against the real
   * gateway; the fake gateway's jobs take seconds, and the prior is paced by it.
   */
  readonly pollIntervalMs: number;
  /** Longest gap between fallback reads of a wait backed by callbacks. */
  readonly fallbackCapMs: number;
  /**
   * Verification reads each receiver may make a second (`verifyReadsPerSecond`): at least the
   * fleet's callbacks a second shared among the receivers, or deliveries beyond it are passed on
   * unverified and the waits read the status themselves.
   */
  readonly verifyReadsPerSecond: number;
  /** Folder the results consumer saves videos into. */
  readonly outDir: string;
}

export function fleetSettings(env: NodeJS.ProcessEnv = process.env): FleetSettings {
  return {
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    run: env.FLEET_RUN ?? "fleet",
    webhookUrl: env.FLEET_WEBHOOK_URL ?? "",
    concurrency: Number(env.FLEET_CONCURRENCY ?? 50),
    pollIntervalMs: Number(env.FLEET_POLL_INTERVAL_MS ?? 2_000),
    fallbackCapMs: Number(env.FLEET_FALLBACK_CAP_MS ?? 60_000),
    verifyReadsPerSecond: Number(env.FLEET_VERIFY_READS_PER_SECOND ?? 10),
    outDir: env.FLEET_OUT_DIR ?? "out/fleet",
  };
}

/** The run's BullMQ queues and Redis keys. */
export function names(run: string) {
  return {
    /** Prompts to generate: the producer adds, workers take. */
    videos: `${run}-videos`,
    /** Finished jobs to download: workers add (one per job id), the results consumer takes. */
    downloads: `${run}-downloads`,
    /** Hash job id → submits made for it (the example's own accounting). */
    submitted: `${run}:submitted`,
    /** Hash job id → videos saved for it. */
    saved: `${run}:saved`,
    /** Set of job ids whose submit may have reached the gateway without its request_id being kept. */
    held: `${run}:held`,
    /** Prefix of the companion's keys and channels. */
    prefix: `${run}:pixazo:`,
  };
}

/** A Redis connection as BullMQ wants it (no per-command retry limit). */
export function redisConnection(settings: FleetSettings): Redis {
  return new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
}

/**
 * The gateway client of one process: the real gateway with PIXAZO_API_KEY, else PIXAZO_BASE_URL.
 * With `sharedRateLimitPause`, a 429 met by any process of the fleet pauses this one too.
 */
export function gatewayClient(settings: FleetSettings, sharedRateLimitPause?: SharedRateLimitPause): Pixazo {
  return new Pixazo({ pollIntervalMs: settings.pollIntervalMs, sharedRateLimitPause });
}
