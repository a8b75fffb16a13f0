import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFleet } from "../../examples/fleet/run.js";
import { SAMPLE_VIDEO } from "../../src/testing/index.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("the fleet example (examples/fleet), on a real redis-server and BullMQ", () => {
  it("loses nothing and doubles nothing when callbacks come twice or not at all and a worker is killed", async () => {
    const report = await runFleet({
      redisUrl: server.url,
      jobs: 40,
      workers: 2,
      receivers: 2,
      killWorkerAt: 0.3,
      duplicated: 0.3,
      lost: 0.1,
      jobMs: [500, 2_000],
      timeoutMs: 90_000,
    });
    expect(report.workerKilled).toBe(true);
    expect(report.callbacksDuplicated).toBeGreaterThan(0);
    expect(report.callbacksLost).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.submittedTwice).toBe(0);
    expect(report.completedTwice).toBe(0);
    // A job is held only when a worker died between sending its submit and keeping the answer.
    expect(report.saved + report.held).toBe(40);
    // Every saved video is on disk, byte for byte.
    const files = await readdir(report.outDir);
    expect(files).toHaveLength(report.saved);
    for (const file of files) expect((await readFile(join(report.outDir, file))).equals(SAMPLE_VIDEO)).toBe(true);
  }, 120_000);
});
