import { describe, expect, it } from "vitest";
import { GenerationFailedError, type JobStatus, WaitTimeoutError, WebhookReceiver } from "../../src/index.js";
import { PROMPT, rawServer, rejectionOf, settle, setup, until } from "../support/gateway.js";

async function receiverAt(options: ConstructorParameters<typeof WebhookReceiver>[0] = {}) {
  const receiver = new WebhookReceiver(options);
  const server = await rawServer(receiver.nodeHandler());
  return { receiver, url: `${server.url}/hooks` };
}

describe("waiting on webhooks", () => {
  it("resolves when the verified callback arrives, with no polling at all", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt({ verify: client });
    const seen: string[] = [];

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, {
      webhook: { url },
      events: receiver,
      onStatus: (status) => void seen.push(status.status),
    });

    expect(job.status).toBe("COMPLETED");
    expect(seen).toEqual(["COMPLETED"]);
    // One read: the receiver's verification. The wait itself never polled.
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("confirms an unverified callback with one status read before trusting it", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt();

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, { webhook: { url }, events: receiver });

    expect(job.status).toBe("COMPLETED");
    expect(gateway.requestsOf("status")).toHaveLength(1);
    expect(job.output?.media_url[0]).toContain(gateway.cdn.url);
  });

  it("never resolves on a forged unverified callback: the status read decides", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt();
    gateway.nextJob({ statuses: ["QUEUED", "PROCESSING", "PROCESSING", "PROCESSING", "COMPLETED"] });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const seen: JobStatus[] = [];

    const waiting = client.wait(request_id, {
      events: receiver,
      pollIntervalMs: 20,
      maxPollIntervalMs: 20,
      onStatus: (status) => void seen.push(status),
    });
    await fetch(url, {
      method: "POST",
      body: JSON.stringify({
        request_id,
        status: "COMPLETED",
        output: { media_url: ["https://evil.example/x.mp4"], media_type: "video/mp4" },
      }),
    });
    const job = await waiting;

    expect(job.output?.media_url[0]).not.toContain("evil");
    expect(seen.every((status) => !status.output?.media_url[0]?.includes("evil"))).toBe(true);
  });

  it("falls back to polling when the callback is lost", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt({ verify: client });
    gateway.nextJob({ deliveries: { lose: true } });

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, {
      webhook: { url },
      events: receiver,
      pollIntervalMs: 100,
      maxPollIntervalMs: 200,
    });

    expect(job.status).toBe("COMPLETED");
    await until(() => gateway.deliveries.length > 0);
    expect(gateway.deliveries[0]?.error).toBe("lost (scripted)");
    expect(gateway.requestsOf("status").length).toBeGreaterThan(0);
  });

  it("rejects FAILED from a callback with GenerationFailedError", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt({ verify: client });
    gateway.nextJob({ outcome: "FAILED", error: "unsafe content" });

    const error = (await rejectionOf(
      client.generate("ltx-2-3-text-to-video", PROMPT, { webhook: { url }, events: receiver }),
    )) as GenerationFailedError;

    expect(error).toBeInstanceOf(GenerationFailedError);
    expect(error.gatewayError).toBe("unsafe content");
  });

  it("resolves at once when the callback came before the wait started", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt({ verify: client });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url } });
    await until(() => gateway.deliveries.some((d) => d.response === 200));
    await settle(30);

    const job = await client.wait(request_id, { events: receiver });

    expect(job.request_id).toBe(request_id);
  });

  it("keeps wait's abort and timeout semantics", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt({ verify: client });
    gateway.nextJob({ deliveries: { lose: true }, stepMs: 10_000 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url } });

    const timedOut = await rejectionOf(client.wait(request_id, { events: receiver, timeoutMs: 50 }));
    expect(timedOut).toBeInstanceOf(WaitTimeoutError);
    // The one read at the deadline, as plain wait makes.
    expect(gateway.requestsOf("status")).toHaveLength(1);

    const controller = new AbortController();
    const aborted = rejectionOf(client.wait(request_id, { events: receiver, signal: controller.signal }));
    controller.abort("stop");
    expect(await aborted).toBe("stop");
    await settle();
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });
});
