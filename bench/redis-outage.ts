/**
 * Redis outage bench: 100,000 waits' subscriptions on one `RedisJobEvents` while redis-server is
 * down, with ioredis and with node-redis. Heap (after a full GC) before, with all of them live,
 * once they all ended, and once Redis is back; and what the server is subscribed to then.
 *
 *   npx tsx bench/redis-outage.ts     (needs redis-server on the PATH)
 */

import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { type RedisClientLike, RedisJobEvents } from "../src/redis/index.js";
import { startRedisServer } from "../test/support/redis-server.js";
import { table } from "./lib/report.js";

const WAITS = 100_000;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapMiB(): string {
  gc();
  gc();
  return (process.memoryUsage().heapUsed / 2 ** 20).toFixed(1);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function redisOutage(): Promise<Record<string, string>[]> {
  const server = await startRedisServer();
  const rows: Record<string, string>[] = [];
  try {
    const makers: [string, () => { client: RedisClientLike; end: () => void }][] = [
      [
        "ioredis",
        () => {
          const client = new Redis(server.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
          client.on("error", () => {});
          return { client, end: () => client.disconnect() };
        },
      ],
      [
        "redis (node-redis)",
        () => {
          const client = createClient({ url: server.url });
          client.on("error", () => {});
          void client.connect().catch(() => {});
          return { client: client as unknown as RedisClientLike, end: () => client.destroy() };
        },
      ],
    ];
    for (const [name, make] of makers) {
      await server.stop();
      const commands = make();
      let reports = 0;
      const events = new RedisJobEvents({ redis: commands.client, onError: () => void reports++ });
      const before = heapMiB();
      const stops = Array.from({ length: WAITS }, (_, index) => events.subscribe(`job-${index}`, () => {}));
      await pause(500);
      const live = heapMiB();
      for (const stop of stops) stop();
      stops.length = 0;
      await pause(500);
      const ended = heapMiB();
      await server.start();
      const inspector = new Redis(server.port, "127.0.0.1");
      const held = events.subscribe("job-still-waiting", () => {});
      let channels: string[] = [];
      for (let tries = 0; tries < 200 && channels.length === 0; tries++) {
        await pause(50);
        channels = (await inspector.pubsub("CHANNELS", "pixazo:events:*")) as string[];
      }
      const back = heapMiB();
      held();
      await events.close();
      inspector.disconnect();
      commands.end();
      rows.push({
        client: name,
        "heap before (MiB)": before,
        [`${WAITS.toLocaleString("en")} waits live`]: live,
        "all ended, Redis still down": ended,
        "Redis back, one wait live": back,
        "channels subscribed then": String(channels.length),
        "outage reports": String(reports),
      });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(table(await redisOutage()));
}
