/**
 * The Redis companion when Redis goes away: a real redis-server stopped and started again on
 * its port, mid-wait and before the very first subscribe, with ioredis and with node-redis. The
 * process never crashes, each outage is reported once, subscriptions come back by themselves,
 * nothing is kept for waits that ended while Redis was down, and companions sharing a subscriber
 * never unsubscribe each other.
 */
import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobEvent } from "../../src/index.js";
import { type RedisClientLike, RedisJobEvents, RedisRateLimitPause } from "../../src/redis/index.js";
import { afterThisTest } from "../support/gateway.js";
import { completed, type RedisServer, startRedisServer } from "../support/redis-server.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Keeps the server up for the next test, whatever this one did to it. */
async function serverUp(): Promise<void> {
  await server.stop();
  await server.start();
}

/** Resolves once `predicate` holds; fails after `ms`. */
async function eventually(predicate: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("the condition did not come true in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The user's own command connection, as a user keeps it: with an error listener, so an outage
 * does not end the process through it (what the companion makes itself is the companion's job).
 */
const clients: [string, () => RedisClientLike][] = [
  [
    "ioredis",
    () => {
      const redis = new Redis(server.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
      redis.on("error", () => {});
      afterThisTest(async () => void redis.disconnect());
      return redis;
    },
  ],
  [
    "redis (node-redis)",
    () => {
      const redis = createClient({ url: server.url });
      redis.on("error", () => {});
      void redis.connect().catch(() => {});
      afterThisTest(async () => void redis.destroy());
      return redis as unknown as RedisClientLike;
    },
  ],
];

/** Publishes on a connection of its own, once Redis answers. */
async function publishWhenUp(channel: string, message: string): Promise<void> {
  const redis = new Redis(server.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
  redis.on("error", () => {});
  try {
    await eventually(async () => (await redis.publish(channel, message).catch(() => -1)) >= 1);
  } finally {
    redis.disconnect();
  }
}

let sequence = 0;
const uniqueId = () => `ltx-2-3-text-to-video_outage-${process.pid}-${++sequence}`;
const eventMessage = (requestId: string) => JSON.stringify({ status: completed(requestId), verified: true });

describe.each(clients)("with %s", (_name, connect) => {
  it("survives redis-server stopped mid-wait, reports it once, and hears events again once it is back", async () => {
    const errors: Error[] = [];
    const events = new RedisJobEvents({ redis: connect(), onError: (error) => void errors.push(error) });
    const pause = new RedisRateLimitPause({ redis: connect(), onError: (error) => void errors.push(error) });
    afterThisTest(() => Promise.all([events.close(), pause.close()]).then(() => undefined));
    const requestId = uniqueId();
    const heard: JobEvent[] = [];
    const paused: number[] = [];
    events.subscribe(requestId, (event) => heard.push(event));
    pause.subscribe((ms) => paused.push(ms));
    await publishWhenUp(`pixazo:events:${requestId}`, eventMessage(requestId));
    await eventually(() => heard.length === 1);

    await server.stop();
    await eventually(() => errors.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // reconnect attempts go on meanwhile
    await server.start();
    await publishWhenUp(`pixazo:events:${requestId}`, eventMessage(requestId));
    await publishWhenUp("pixazo:rate-limit-pause", JSON.stringify({ ms: 1_000, origin: "another process" }));

    await eventually(() => heard.length === 2 && paused.length === 1);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^the Redis subscriber connection failed \(.*\); subscriptions are retried/),
      expect.stringMatching(/^the Redis subscriber connection failed/),
    ]);
  });

  it("subscribes once Redis is back when it was down at the very first subscribe, and close() resolves", async () => {
    await server.stop();
    try {
      const errors: Error[] = [];
      const events = new RedisJobEvents({ redis: connect(), onError: (error) => void errors.push(error) });
      const pause = new RedisRateLimitPause({ redis: connect(), onError: (error) => void errors.push(error) });
      const requestId = uniqueId();
      const heard: JobEvent[] = [];
      const paused: number[] = [];
      events.subscribe(requestId, (event) => heard.push(event));
      pause.subscribe((ms) => paused.push(ms));
      await new Promise((resolve) => setTimeout(resolve, 1_500));

      await server.start();
      await publishWhenUp(`pixazo:events:${requestId}`, eventMessage(requestId));
      await publishWhenUp("pixazo:rate-limit-pause", JSON.stringify({ ms: 2_000, origin: "another process" }));

      await eventually(() => heard.length === 1 && paused.length === 1);
      expect(paused).toEqual([2_000]);
      await expect(Promise.all([events.close(), pause.close()])).resolves.toBeDefined();
    } finally {
      await serverUp();
    }
  });

  it("keeps nothing for 100,000 waits that ended while Redis was down: only live ones are subscribed after", async () => {
    await server.stop();
    try {
      const events = new RedisJobEvents({ redis: connect(), onError: () => {} });
      afterThisTest(() => events.close());
      for (let index = 0; index < 100_000; index++) events.subscribe(`ended-${index}`, () => {})();
      const live = [uniqueId(), uniqueId(), uniqueId()];
      const heard: string[] = [];
      for (const requestId of live) events.subscribe(requestId, (event) => heard.push(event.status.request_id));

      await server.start();
      for (const requestId of live) await publishWhenUp(`pixazo:events:${requestId}`, eventMessage(requestId));
      await eventually(() => heard.length === live.length);

      const inspector = new Redis(server.port, "127.0.0.1");
      afterThisTest(async () => void inspector.disconnect());
      const channels = (await inspector.pubsub("CHANNELS", "pixazo:events:*")) as string[];
      expect(channels.sort()).toEqual(live.map((requestId) => `pixazo:events:${requestId}`).sort());
    } finally {
      await serverUp();
    }
  });
});

describe("the companion's own ioredis connection", () => {
  it("has ioredis's own resubscribe off, whose promise a close during a reconnect would leave unhandled", async () => {
    const redis = new Redis(server.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
    redis.on("error", () => {});
    afterThisTest(async () => void redis.disconnect());
    const duplicates: Redis[] = [];
    const duplicate = redis.duplicate.bind(redis);
    redis.duplicate = (override) => {
      const copy = duplicate(override);
      duplicates.push(copy);
      return copy;
    };
    const events = new RedisJobEvents({ redis, onError: () => {} });
    afterThisTest(() => events.close());
    const requestId = uniqueId();
    const heard: JobEvent[] = [];
    events.subscribe(requestId, (event) => heard.push(event));
    await publishWhenUp(`pixazo:events:${requestId}`, eventMessage(requestId));
    await eventually(() => heard.length === 1);

    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]?.options.autoResubscribe).toBe(false);
  });
});

describe("companions sharing one subscriber", () => {
  it.each(clients)(
    "count subscriptions per channel: one closing leaves the other hearing (%s)",
    async (_name, connect) => {
      const subscriber = connect();
      const a = new RedisJobEvents({ redis: connect(), subscriber });
      const b = new RedisJobEvents({ redis: connect(), subscriber });
      afterThisTest(() => b.close());
      const requestId = uniqueId();
      const heardByB: JobEvent[] = [];
      a.subscribe(requestId, () => {});
      b.subscribe(requestId, (event) => heardByB.push(event));
      await publishWhenUp(`pixazo:events:${requestId}`, eventMessage(requestId));
      await eventually(() => heardByB.length === 1);

      await a.close();
      await publishWhenUp(`pixazo:events:${requestId}`, eventMessage(requestId));

      await eventually(() => heardByB.length === 2);
    },
  );
});

describe("cluster clients", () => {
  it("are refused at construction with a ValidationError naming the option", () => {
    const nodeRedisCluster = createCluster({
      rootNodes: [{ url: "redis://127.0.0.1:1" }],
    }) as unknown as RedisClientLike;
    const ioredisCluster = new Cluster([{ host: "127.0.0.1", port: 1 }], {
      lazyConnect: true,
    }) as unknown as RedisClientLike;
    const single = new Redis({ lazyConnect: true });

    for (const cluster of [nodeRedisCluster, ioredisCluster]) {
      expect(() => new RedisJobEvents({ redis: cluster })).toThrow(/redis: is a Redis Cluster client/);
      expect(() => new RedisRateLimitPause({ redis: single, subscriber: cluster })).toThrow(
        /subscriber: is a Redis Cluster client/,
      );
    }
  });
});
