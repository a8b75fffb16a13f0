import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type JobEvent, Pixazo, ValidationError } from "../../src/index.js";
import {
  MAX_EVENT_MESSAGE_BYTES,
  type RedisClientLike,
  RedisJobEvents,
  RedisRateLimitPause,
  redisDeliveryStore,
} from "../../src/redis/index.js";
import { WebhookReceiver } from "../../src/webhooks/index.js";
import { afterThisTest, setup, TEST_KEY, until } from "../support/gateway.js";
import { completed, type RedisServer, startRedisServer } from "../support/redis-server.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

/** A raw ioredis connection to look at what the companion left on the server. */
async function inspector(): Promise<Redis> {
  const redis = new Redis(server.port, "127.0.0.1");
  afterThisTest(async () => void (await redis.quit()));
  return redis;
}

/** The two clients the companion supports, each connected to the test's server and closed after the test. */
const clients: [string, () => Promise<RedisClientLike>][] = [
  [
    "ioredis",
    async () => {
      const redis = new Redis(server.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
      afterThisTest(async () => void (await redis.quit()));
      return redis;
    },
  ],
  [
    "redis (node-redis)",
    async () => {
      const redis = createClient({ url: server.url });
      await redis.connect();
      afterThisTest(async () => void (await redis.quit()));
      return redis as unknown as RedisClientLike;
    },
  ],
];

let sequence = 0;
const uniqueId = () => `ltx-2-3-text-to-video_redis-${process.pid}-${++sequence}`;

describe.each(clients)("pixazo-ltx/redis with %s", (_, connect) => {
  describe("redisDeliveryStore", () => {
    it("answers true once per key across instances, with SET NX PX on the server", async () => {
      const stores = [redisDeliveryStore(await connect()), redisDeliveryStore(await connect())];
      const key = uniqueId();
      // Forty racing deliveries of one key, spread over two connections (two receiver instances).
      const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => stores[index % 2]?.markSeen(key)));
      expect(answers.filter(Boolean)).toHaveLength(1);

      const redis = await inspector();
      expect(await redis.get(`pixazo:delivery:${key}`)).toBe("1");
      const ttl = await redis.pttl(`pixazo:delivery:${key}`);
      expect(ttl).toBeGreaterThan(86_000_000);
      expect(ttl).toBeLessThanOrEqual(86_400_000);
    });

    it("takes a key prefix and a lifetime, and refuses a lifetime that is not a positive integer", async () => {
      const redis = await connect();
      const store = redisDeliveryStore(redis, { keyPrefix: "fleet-a:", ttlMs: 5_000 });
      const key = uniqueId();
      expect(await store.markSeen(key)).toBe(true);
      const ttl = await (await inspector()).pttl(`fleet-a:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
      expect(() => redisDeliveryStore(redis, { ttlMs: 0 })).toThrow(/ttlMs/);
      expect(() => redisDeliveryStore(redis, { ttlMs: 1.5 })).toThrow(/ttlMs/);
    });

    it("makes two receivers behind one URL hand a twice-delivered callback on once", async () => {
      const handled: string[] = [];
      const receivers = [await connect(), await connect()].map(
        (redis) =>
          new WebhookReceiver({
            store: redisDeliveryStore(redis),
            onEvent: (status) => void handled.push(status.request_id),
          }),
      );
      const status = completed(uniqueId());
      await Promise.all(
        [0, 1, 0, 1].map((index) =>
          receivers[index]?.fetchHandler()(
            new Request("http://127.0.0.1/hook", { method: "POST", body: JSON.stringify(status) }),
          ),
        ),
      );
      await until(() => handled.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(handled).toEqual([status.request_id]);
    });
  });

  describe("RedisRateLimitPause", () => {
    it("holds another process's client back while one process waits out a 429", async () => {
      const { gateway, client: plain } = await setup();
      const { request_id } = await plain.submit("ltx-2-3-text-to-video", { prompt: "x" });
      /** A client as another process has it: its own Redis connections and pause object. */
      const processClient = async () => {
        const pause = new RedisRateLimitPause({ redis: await connect(), channel: `pause-${request_id}` });
        const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, sharedRateLimitPause: pause });
        afterThisTest(async () => {
          await client.close();
          await pause.close();
        });
        return { pause, client };
      };
      const a = await processClient();
      const b = await processClient();
      const heardByB: number[] = [];
      b.pause.subscribe((ms) => heardByB.push(ms));
      await untilSubscribed(await inspector(), `pause-${request_id}`, 2);
      const before = gateway.requestsOf("status").length;
      gateway.inject({
        on: "status",
        fault: { kind: "response", status: 429, headers: { "retry-after": "2" }, body: { statusCode: 429 } },
        times: 1,
      });
      const readA = a.client.status(request_id);
      await until(() => heardByB.length > 0);
      expect(heardByB).toEqual([2_000]);
      // B's own read waits out A's pause: nothing of it reaches the gateway meanwhile.
      const readB = b.client.status(request_id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(gateway.requestsOf("status").length - before).toBe(1);
      expect((await readB).request_id).toBe(request_id);
      expect((await readA).request_id).toBe(request_id);
      expect(gateway.requestsOf("status").length - before).toBe(3);
    });

    it("ignores its own announcements and drops a pause that is not a number of up to 60 s", async () => {
      const errors: Error[] = [];
      const pause = new RedisRateLimitPause({ redis: await connect(), onError: (error) => errors.push(error) });
      afterThisTest(() => pause.close());
      const heard: number[] = [];
      pause.subscribe((ms) => heard.push(ms));
      const redis = await inspector();
      await untilSubscribed(redis, "pixazo:rate-limit-pause");
      await pause.announce(1_000);
      await redis.publish("pixazo:rate-limit-pause", JSON.stringify({ ms: 3_600_000, origin: "other" }));
      await redis.publish("pixazo:rate-limit-pause", "{");
      await redis.publish("pixazo:rate-limit-pause", JSON.stringify({ ms: 1_500, origin: "other" }));
      await until(() => heard.length > 0);
      expect(heard).toEqual([1_500]);
      expect(errors).toHaveLength(2);
    });
  });

  describe("RedisJobEvents", () => {
    it("ends a wait in one process on the verified callback a receiver in another got, with no polling", async () => {
      const { gateway, client } = await setup({}, { job: { durationMs: 300 } });
      // The receiver process: its own client, Redis connections and event bus.
      const receiverEvents = new RedisJobEvents({ redis: await connect() });
      const receiver = new WebhookReceiver({
        verify: client,
        store: redisDeliveryStore(await connect()),
        onEvent: (_, event) => receiverEvents.publish(event),
      });
      const http = createServer(receiver.nodeHandler());
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      afterThisTest(async () => {
        http.closeAllConnections();
        await new Promise((resolve) => http.close(resolve));
        await receiverEvents.close();
      });
      // The worker process: waits on Redis, not on the receiver object.
      const workerEvents = new RedisJobEvents({ redis: await connect() });
      afterThisTest(() => workerEvents.close());

      const { port } = http.address() as AddressInfo;
      const job = await client.generate(
        "ltx-2-3-text-to-video",
        { prompt: "fleet" },
        { webhook: { url: `http://127.0.0.1:${port}/hook` }, events: workerEvents, timeoutMs: 20_000 },
      );
      expect(job.status).toBe("COMPLETED");
      // One status read: the receiver's verification. The wait itself read nothing.
      expect(gateway.requestsOf("status")).toHaveLength(1);
    });

    it("lets a wait that subscribes after the callback still hear it, for recordTtlMs", async () => {
      const events = new RedisJobEvents({ redis: await connect(), recordTtlMs: 60_000 });
      afterThisTest(() => events.close());
      const requestId = uniqueId();
      await events.publish({ status: completed(requestId), verified: true });
      const heard: JobEvent[] = [];
      const stop = events.subscribe(requestId, (event) => heard.push(event));
      await until(() => heard.length > 0);
      stop();
      expect(heard[0]).toEqual({ status: completed(requestId), verified: true });
      const ttl = await (await inspector()).pttl(`pixazo:latest:${requestId}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // A running status is passed on but not kept: only terminal events are recorded.
      const running = uniqueId();
      await events.publish({ status: { ...completed(running), status: "PROCESSING", output: null }, verified: true });
      expect(await (await inspector()).exists(`pixazo:latest:${running}`)).toBe(0);
    });

    it("refuses to publish what its subscribers would refuse, before anything is sent", async () => {
      const events = new RedisJobEvents({ redis: await connect() });
      afterThisTest(() => events.close());
      const requestId = uniqueId();
      const heard: JobEvent[] = [];
      events.subscribe(requestId, (event) => heard.push(event));
      await untilSubscribed(await inspector(), `pixazo:events:${requestId}`);
      const bad = { status: { ...completed(requestId), updated_at: null }, verified: true } as unknown as JobEvent;
      const error = await events.publish(bad).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect(String(error)).toMatch(/status\.updated_at: is not a job status as the reference describes it/);
      const noFlag = { status: completed(requestId) } as unknown as JobEvent;
      expect(String(await events.publish(noFlag).catch((caught: unknown) => caught))).toMatch(/verified/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toEqual([]);
      expect(await (await inspector()).exists(`pixazo:latest:${requestId}`)).toBe(0);
    });

    it("drops what is not an event of the channel's job, and what is too large, and says so", async () => {
      const errors: Error[] = [];
      const events = new RedisJobEvents({ redis: await connect(), onError: (error) => errors.push(error) });
      afterThisTest(() => events.close());
      const requestId = uniqueId();
      const heard: JobEvent[] = [];
      events.subscribe(requestId, (event) => heard.push(event));
      const redis = await inspector();
      await untilSubscribed(redis, `pixazo:events:${requestId}`);
      const channel = `pixazo:events:${requestId}`;
      await redis.publish(channel, "not json");
      await redis.publish(channel, JSON.stringify({ status: completed(uniqueId()), verified: true }));
      await redis.publish(channel, JSON.stringify({ status: completed(requestId), verified: "yes" }));
      await redis.publish(channel, "x".repeat(MAX_EVENT_MESSAGE_BYTES + 1));
      await redis.publish(channel, JSON.stringify({ status: completed(requestId), verified: false }));
      await until(() => heard.length > 0);
      expect(heard).toEqual([{ status: completed(requestId), verified: false }]);
      expect(errors.map((error) => error.message)).toEqual([
        expect.stringContaining("(it is not JSON)"),
        expect.stringContaining("(it is another job's)"),
        expect.stringContaining("(it has no verified flag)"),
        expect.stringContaining(`${MAX_EVENT_MESSAGE_BYTES + 1} bytes`),
      ]);
    });

    it("unsubscribes from Redis when the last listener of a job stops, and close() ends its own connection", async () => {
      const redis = await inspector();
      const before = String(await redis.client("LIST"))
        .trim()
        .split("\n").length;
      const events = new RedisJobEvents({ redis: await connect() });
      const requestId = uniqueId();
      const channel = `pixazo:events:${requestId}`;
      const stops = [events.subscribe(requestId, () => {}), events.subscribe(requestId, () => {})];
      await untilSubscribed(redis, channel);
      stops[0]?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await subscribers(redis, channel)).toBe(1);
      stops[1]?.();
      for (let tries = 0; (await subscribers(redis, channel)) > 0 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await subscribers(redis, channel)).toBe(0);
      await events.close();
      // The command connection is the caller's (closed by the test); the subscriber was ours.
      const after = String(await redis.client("LIST"))
        .trim()
        .split("\n").length;
      expect(after).toBe(before + 1);
    });
  });
});

it("a shared pause whose announcement fails is reported once and never fails the request", async () => {
  const { gateway, client: plain } = await setup();
  const { request_id } = await plain.submit("ltx-2-3-text-to-video", { prompt: "x" });
  const warnings = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  try {
    const client = new Pixazo({
      apiKey: TEST_KEY,
      baseUrl: gateway.url,
      sharedRateLimitPause: { announce: () => Promise.reject(new Error("redis is down")), subscribe: () => () => {} },
    });
    afterThisTest(() => client.close());
    gateway.inject({
      on: "status",
      fault: { kind: "response", status: 429, headers: { "retry-after": "1" }, body: { statusCode: 429 } },
      times: 1,
    });
    expect((await client.status(request_id)).request_id).toBe(request_id);
    const shown = warnings.mock.calls.map(([message]) => String(message)).filter((m) => m.includes("announce()"));
    expect(shown).toEqual([expect.stringContaining("redis is down")]);
  } finally {
    warnings.mockRestore();
  }
});

it("a client refuses a sharedRateLimitPause without announce() and subscribe(), before anything is sent", () => {
  const make = () =>
    new Pixazo({ apiKey: TEST_KEY, sharedRateLimitPause: { announce: () => {} } as unknown as RedisRateLimitPause });
  expect(make).toThrow(ValidationError);
  expect(make).toThrow(/sharedRateLimitPause: has no announce\(\) and subscribe\(\) methods/);
});

it("refuses a client of neither kind, naming it", () => {
  expect(() => redisDeliveryStore({} as RedisClientLike)).toThrow(ValidationError);
  expect(() => redisDeliveryStore({} as RedisClientLike)).toThrow(/redis: is not a Redis client.*ioredis/s);
  expect(() => new RedisJobEvents({ redis: { get: () => {} } as unknown as RedisClientLike })).toThrow(ValidationError);
});

async function subscribers(redis: Redis, channel: string): Promise<number> {
  const answer = (await redis.call("PUBSUB", "NUMSUB", channel)) as [string, number];
  return Number(answer[1]);
}

async function untilSubscribed(redis: Redis, channel: string, count = 1): Promise<void> {
  for (let tries = 0; (await subscribers(redis, channel)) < count; tries++) {
    if (tries > 200) throw new Error(`nothing subscribed to ${channel}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
