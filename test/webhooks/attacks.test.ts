/**
 * The receiver under attack: what an outsider can send is bounded in bytes and time, forgeries
 * cannot multiply reads made with the user's key or pause the client, and logs stay one line.
 */
import { connect } from "node:net";
import { describe, expect, it, vi } from "vitest";
import {
  type JobStatus,
  VerificationSkippedError,
  type WebhookPayloadError,
  WebhookReceiver,
  type WebhookReceiverOptions,
} from "../../src/index.js";
import { documentedErrors } from "../../src/testing/index.js";
import { LatestEvents } from "../../src/webhooks/latest-events.js";
import { afterThisTest, behindExpressJson, PROMPT, rawServer, settle, setup, until } from "../support/gateway.js";

async function receiverAt(options: WebhookReceiverOptions = {}) {
  const receiver = new WebhookReceiver(options);
  const server = await rawServer(receiver.nodeHandler());
  return { receiver, url: `${server.url}/hooks`, port: Number(new URL(server.url).port) };
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

describe("bounded in bytes and time", () => {
  it("answers 413 to an endless chunked body and closes the connection", async () => {
    const errors: unknown[] = [];
    const { port } = await receiverAt({ maxBodyBytes: 1024, onError: (error) => void errors.push(error) });
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    socket.on("data", (chunk: Buffer) => (reply += chunk.toString("latin1")));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => {});
    socket.write("POST /hooks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    const chunk = `${(64 * 1024).toString(16)}\r\n${"x".repeat(64 * 1024)}\r\n`;
    let sent = 0;
    const pump = setInterval(() => {
      if (!socket.destroyed && socket.writableLength < 1024 * 1024) {
        socket.write(chunk);
        sent += chunk.length;
      }
    }, 1);

    await closed;
    clearInterval(pump);

    // The 413 is sent with "Connection: close"; a sender still writing may get a reset first.
    if (reply !== "") expect(reply).toMatch(/^HTTP\/1\.1 413 [\s\S]*connection: close/i);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect((errors[0] as WebhookPayloadError).problem).toBe("too-large");
  });

  it("holds a body a parser already read to the same limit (express.json() takes 100 kB)", async () => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ onError: (error) => void errors.push(error) });
    const url = await behindExpressJson(receiver.nodeHandler());

    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request_id: "job-1", status: "COMPLETED", padding: "p".repeat(70 * 1024) }),
    });

    expect(response.status).toBe(413);
    expect((errors[0] as WebhookPayloadError).problem).toBe("too-large");
  });

  it("answers 408 to a body that stops coming, and closes the connection (Node handler)", async () => {
    const { port } = await receiverAt({ bodyTimeoutMs: 200, onError: () => {} });
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    socket.on("data", (chunk: Buffer) => (reply += chunk.toString("latin1")));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write('POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"request_id":');

    await closed;

    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("answers 408 to a body that stops coming (Fetch handler; found: waited forever)", async () => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ bodyTimeoutMs: 200, onError: (error) => void errors.push(error) });
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"request_id":')),
    });
    const request = new Request("http://127.0.0.1/hooks", { method: "POST", body, duplex: "half" } as RequestInit);

    const response = await receiver.fetchHandler()(request);

    expect(response.status).toBe(408);
    expect((errors[0] as WebhookPayloadError).problem).toBe("too-slow");
  });

  it("refuses a request_id over 256 characters with 400, storing nothing", async () => {
    const events: JobStatus[] = [];
    const { url } = await receiverAt({ onEvent: (event) => void events.push(event), onError: () => {} });

    const response = await post(url, { request_id: "x".repeat(257), status: "COMPLETED" });

    expect(response.status).toBe(400);
    await settle();
    expect(events).toEqual([]);
  });

  it("keeps the latest statuses within their byte budget, dropping the oldest", () => {
    const latest = new LatestEvents(10_000, 1024 * 1024);
    const padding = "p".repeat(60 * 1024);
    for (let index = 0; index < 2_000; index++) {
      const status = { request_id: `job-${index}`, status: "PROCESSING", padding } as unknown as JobStatus;
      latest.set(status.request_id, { status, verified: false });
    }

    expect(latest.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(latest.get("job-1999")).toBeDefined();
    expect(latest.get("job-0")).toBeUndefined();
  });
});

describe("verify cannot be turned against the user", () => {
  it("makes one status read for 25 identical forged POSTs", async () => {
    const { gateway, client } = await setup();
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const { url } = await receiverAt({ verify: client, onError: () => {} });
    const forged = {
      request_id,
      status: "COMPLETED",
      output: { media_url: ["https://evil.example/x.mp4"], media_type: "video/mp4" },
    };

    await Promise.all(Array.from({ length: 25 }, () => post(url, forged)));
    await settle(200);

    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("makes one status read for 25 identical forged POSTs naming a job the gateway does not know", async () => {
    const { gateway, client } = await setup();
    const { url } = await receiverAt({ verify: client, onError: () => {} });
    const forged = {
      request_id: "ltx-2-3-text-to-video_00000000-0000-0000-0000-000000000000",
      status: "COMPLETED",
      output: { media_url: ["https://evil.example/x.mp4"], media_type: "video/mp4" },
    };

    // In two waves: the second comes after the first read failed, inside its window.
    await Promise.all(Array.from({ length: 12 }, () => post(url, forged)));
    await Promise.all(Array.from({ length: 13 }, () => post(url, forged)));
    await settle(200);

    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("makes one status read for a callback delivered three times", async () => {
    const { gateway, client } = await setup();
    const { receiver, url } = await receiverAt({ verify: client });
    gateway.nextJob({ deliveries: { copies: 3 } });

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, { webhook: { url }, events: receiver });
    await until(() => gateway.deliveries.every((delivery) => delivery.response !== undefined));
    await settle(100);

    expect(job.status).toBe("COMPLETED");
    expect(gateway.deliveries).toHaveLength(3);
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("caps reads for forged POSTs naming many jobs, and reports what it skipped", async () => {
    // The cap's clock stands still, so the bucket gets no refill however slowly a busy machine
    // delivers the 60 POSTs: the burst of 5 is all there is to spend.
    vi.useFakeTimers({ toFake: ["performance"] });
    afterThisTest(async () => void vi.useRealTimers());
    const { gateway, client } = await setup();
    const errors: unknown[] = [];
    const { url } = await receiverAt({
      verify: client,
      verifyReadsPerSecond: 5,
      onError: (error) => void errors.push(error),
    });

    await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        post(url, { request_id: `ltx-2-3-text-to-video_forged-${index}`, status: "COMPLETED" }),
      ),
    );
    await until(() => errors.length >= 60);

    expect(gateway.requestsOf("status")).toHaveLength(5);
    expect(errors.filter((error) => error instanceof VerificationSkippedError)).toHaveLength(55);
  });

  it("never pauses the client's own requests when a verification read meets a 429", async () => {
    const { gateway, client } = await setup();
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const errors: unknown[] = [];
    const { url } = await receiverAt({ verify: client, onError: (error) => void errors.push(error) });
    gateway.inject({ on: "status", fault: documentedErrors.rateLimited(30) });

    await post(url, { request_id, status: "COMPLETED" });
    await until(() => errors.length === 1);
    const started = performance.now();
    const status = await client.status(request_id);

    expect(status.request_id).toBe(request_id);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(gateway.requestsOf("status")).toHaveLength(2);
  });
});

describe("sync mode and logs", () => {
  it("passes every progress callback with a new updated_at, and drops an exact replay", async () => {
    const events: JobStatus[] = [];
    const { url } = await receiverAt({ onEvent: (event) => void events.push(event) });
    const at = (second: number) => ({
      request_id: "ltx-2-3-text-to-video_sync-1",
      status: "PROCESSING",
      updated_at: `2026-11-25T10:00:0${second}.000Z`,
    });

    for (const body of [at(1), at(2), at(3), at(3)]) await post(url, body);
    await settle(100);

    expect(events.map((event) => event.updated_at)).toEqual([at(1), at(2), at(3)].map((body) => body.updated_at));
  });

  it("writes one short line per error by default, quoting nothing the sender put in", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.message);
    process.on("warning", onWarning);
    try {
      const { url } = await receiverAt();
      await post(url, `not json\n\u001b[31mFAKE LOG LINE\u001b[0m${"x".repeat(180 * 1024)}`.slice(0, 60 * 1024));
      await until(() => warnings.length > 0);
    } finally {
      process.off("warning", onWarning);
    }

    expect([...(warnings[0] ?? "")].every((character) => character >= " ")).toBe(true);
    expect(warnings[0]).not.toContain("FAKE LOG LINE");
    expect(warnings[0]).toBe("pixazo-ltx webhook: Webhook body is not JSON (text of 61440 bytes)");
  });

  it("keeps its 200 when waitUntil throws, and reports the throw", async () => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ onError: (error) => void errors.push(error) });
    const handler = receiver.fetchHandler({
      waitUntil: () => {
        throw new Error("This context has no ExecutionContext");
      },
    });
    const request = new Request("http://127.0.0.1/hooks", {
      method: "POST",
      body: JSON.stringify({ request_id: "job-1", status: "COMPLETED" }),
    });

    const response = await handler(request);

    expect(response.status).toBe(200);
    expect((errors[0] as Error).message).toBe("This context has no ExecutionContext");
  });

  it("answers 500 with how to mount the handler when the body was consumed and not kept, and reports it", async () => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ onError: (error) => void errors.push(error) });
    const handler = receiver.nodeHandler();
    const server = await rawServer((req, res) => {
      req.resume(); // some middleware read the stream and kept nothing
      req.once("end", () => handler(req, res));
    });

    const response = await post(`${server.url}/hooks`, { request_id: "job-1", status: "COMPLETED" });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: "unreadable",
      message: "The receiver could not read the body; its owner's log says why.",
    });
    expect((errors[0] as WebhookPayloadError).problem).toBe("unreadable");
    expect((errors[0] as WebhookPayloadError).message).toContain("mount the webhook handler");
  });
});
