import { describe, expect, it } from "vitest";
import { RequestGate } from "../../src/gateway/request-gate.js";
import { Pixazo, RateLimitError } from "../../src/index.js";
import { documentedErrors } from "../../src/testing/index.js";
import { stepWallClock } from "../support/clock.js";
import { PROMPT, rawServer, rejectionOf, settle, setup, TEST_KEY, until } from "../support/gateway.js";
import { activeTimers } from "../support/handles.js";

describe("requests in flight", () => {
  it("never exceed maxRequestsInFlight, counted on the server", async () => {
    let open = 0;
    let peak = 0;
    const server = await rawServer((_req, res) => {
      open += 1;
      peak = Math.max(peak, open);
      setTimeout(() => {
        open -= 1;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ request_id: "job", status: "PROCESSING" }));
      }, 20);
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRequestsInFlight: 3 });

    await Promise.all(Array.from({ length: 30 }, () => client.status("job")));

    expect(server.hits).toHaveLength(30);
    expect(peak).toBe(3);
    await client.close();
  });

  it("a queued request aborted while waiting leaves and sends nothing", async () => {
    const { gateway, client } = await setup({ maxRequestsInFlight: 1 });
    gateway.inject({ on: "status", fault: { kind: "hang" } });
    const hanging = rejectionOf(client.status("job_1", { signal: AbortSignal.timeout(200) }));
    await until(() => gateway.requests.length === 1);
    const controller = new AbortController();

    const queued = rejectionOf(client.status("job_2", { signal: controller.signal }));
    controller.abort("not needed");

    expect(await queued).toBe("not needed");
    await hanging;
    await settle();
    expect(gateway.requests.map((request) => request.path)).toEqual(["/v2/requests/status/job_1"]);
  });
});

describe("a 429 pauses the whole client", () => {
  it("holds every other request back until Retry-After has passed", async () => {
    const { gateway, client } = await setup();
    const jobs = await Promise.all(Array.from({ length: 5 }, () => client.submit("ltx-2-3-text-to-video", PROMPT)));
    gateway.inject({ on: "status", fault: documentedErrors.rateLimited(1) });

    const first = client.status(jobs[0]?.request_id ?? "");
    await until(() => gateway.requestsOf("status").length === 1);
    await settle(20);
    const others = Promise.all(jobs.slice(1).map((job) => client.status(job.request_id)));
    await settle(500);
    // Half-way through the pause: nothing else was sent.
    expect(gateway.requestsOf("status")).toHaveLength(1);

    await Promise.all([first, others]);
    expect(gateway.requestsOf("status")).toHaveLength(6);
  });

  it("RequestGate.pauseFor extends, never shortens, a pause", async () => {
    const gate = new RequestGate(2);
    gate.pauseFor(200);
    gate.pauseFor(50);
    expect(gate.paused).toBe(true);
    const release = await gate.acquire();
    expect(gate.paused).toBe(false);
    expect(gate.inFlight).toBe(1);
    release();
    release();
    expect(gate.inFlight).toBe(0);
  });

  it("ends a pause on time when the wall clock steps back meanwhile", async () => {
    const gate = new RequestGate(1);
    gate.pauseFor(50);
    stepWallClock(-20_000);

    const release = await gate.acquire();

    expect(gate.paused).toBe(false);
    release();
  });

  it("keeps the process alive for a pause only while a request waits on it", async () => {
    const gate = new RequestGate(1);
    const timersBefore = activeTimers();
    gate.pauseFor(300);
    expect(activeTimers()).toBe(timersBefore);

    const controller = new AbortController();
    const waiting = rejectionOf(gate.acquire(controller.signal));
    expect(activeTimers()).toBe(timersBefore + 1);
    controller.abort("gave up");
    expect(await waiting).toBe("gave up");
    expect(activeTimers()).toBe(timersBefore);

    const release = await gate.acquire();
    expect(gate.paused).toBe(false);
    release();
  });

  it("a rate limit on the caller's last try leaves no timer holding the process open", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    const timersBefore = activeTimers();
    gateway.inject({ on: "status", fault: documentedErrors.rateLimited(30) });

    const error = await rejectionOf(client.status("job_1"));

    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(30_000);
    expect(activeTimers()).toBe(timersBefore);
  });
});
