import { describe, expect, it } from "vitest";
import { Pixazo } from "../src/index.js";
import { startFakeGateway } from "../src/testing/index.js";
import { PROMPT, settle, TEST_KEY } from "./support/gateway.js";
import { activeTimers, expectNoNewHandles, openHandles } from "./support/handles.js";

describe("1,000 concurrent jobs on one client", () => {
  it("finish within the socket bound and leave no timer or socket behind", async () => {
    const before = openHandles();
    const gateway = await startFakeGateway({ job: { durationMs: 300 } });
    const client = new Pixazo({
      apiKey: TEST_KEY,
      baseUrl: gateway.url,
      maxConnections: 8,
      pollIntervalMs: 50,
      maxPollIntervalMs: 100,
    });
    let peakTimers = 0;
    const sampler = setInterval(() => {
      peakTimers = Math.max(peakTimers, activeTimers());
    }, 10);

    const jobs = await Promise.all(
      Array.from({ length: 1_000 }, () => client.generate("ltx-2-3-text-to-video", PROMPT)),
    );
    clearInterval(sampler);

    expect(jobs.every((job) => job.status === "COMPLETED")).toBe(true);
    expect(new Set(jobs.map((job) => job.request_id)).size).toBe(1_000);
    expect(gateway.connections.peak).toBeLessThanOrEqual(8);
    // Each wait holds at most one timer (its sleep, or its deadline's while a read is in flight),
    // beside the sampler and the request timeouts in flight (at most 8 at a time).
    expect(peakTimers).toBeLessThanOrEqual(1_000 + 40);

    await client.close();
    await gateway.close();
    await settle(50);
    expectNoNewHandles(before);
  }, 60_000);
});
