import { describe, expect, it } from "vitest";
import { type DeliveryStore, type JobStatus, NotFoundError, WebhookReceiver } from "../../src/index.js";
import { MemoryDeliveryStore } from "../../src/webhooks/index.js";
import { PROMPT, rawServer, settle, setup, until } from "../support/gateway.js";

/** A receiver served on a loopback port, collecting what it passes on. */
async function listening(options: ConstructorParameters<typeof WebhookReceiver>[0] = {}) {
  const events: JobStatus[] = [];
  const errors: unknown[] = [];
  const receiver = new WebhookReceiver({
    onEvent: (status) => void events.push(status),
    onError: (error) => void errors.push(error),
    ...options,
  });
  const server = await rawServer(receiver.nodeHandler());
  return { receiver, events, errors, url: `${server.url}/hooks/pixazo` };
}

describe("callbacks delivered by the gateway over HTTP", () => {
  it("terminal mode: one callback, one event", async () => {
    const { gateway, client } = await setup();
    const { events, url } = await listening();

    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url } });
    await until(() => events.length === 1);
    await settle(100);

    expect(gateway.deliveries.map((d) => [d.body.status, d.response])).toEqual([["COMPLETED", 200]]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ request_id, status: "COMPLETED", output: { media_type: "video/mp4" } });
  });

  it("sync mode: a callback per queue cycle plus the terminal one, exact repeats passed on once", async () => {
    const { gateway, client } = await setup();
    const { events, url } = await listening();

    await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url, mode: "sync" } });
    await until(() => events.some((event) => event.status === "COMPLETED"));

    expect(gateway.deliveries.map((d) => d.body.status)).toEqual(["QUEUED", "PROCESSING", "PROCESSING", "COMPLETED"]);
    // The fake gateway's updated_at has whole seconds: two PROCESSING callbacks in one second
    // are exact repeats, in two seconds they are progress. Either way, one event per distinct one.
    const distinct = [
      ...new Map(gateway.deliveries.map((d) => [`${d.body.status} ${d.body.updated_at}`, d.body.status])).values(),
    ];
    expect(events.map((event) => event.status)).toEqual(distinct);
  });

  it("duplicated deliveries reach onEvent once", async () => {
    const { gateway, client } = await setup();
    const { events, url } = await listening();
    gateway.nextJob({ deliveries: { copies: 3 } });

    await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url } });
    await until(() => gateway.deliveries.filter((d) => d.response === 200).length === 3);
    await settle();

    expect(events.map((event) => event.status)).toEqual(["COMPLETED"]);
  });

  it("a shared store deduplicates across receivers (several processes)", async () => {
    const { gateway, client } = await setup();
    const store: DeliveryStore = new MemoryDeliveryStore();
    const first = await listening({ store });
    const second = await listening({ store });
    gateway.nextJob({ deliveries: { copies: 2 } });

    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url: first.url } });
    await until(() => first.events.length === 1);
    // The same callback reaching the other process is a duplicate there.
    const delivered = gateway.deliveries[0]?.body;
    await fetch(second.url, { method: "POST", body: JSON.stringify(delivered) });
    await settle();

    expect(first.events.map((event) => event.request_id)).toEqual([request_id]);
    expect(second.events).toHaveLength(0);
  });
});

describe("verify", () => {
  it("passes on the gateway's answer, not a forged completed callback", async () => {
    const { gateway, client } = await setup();
    const { events, url } = await listening({ verify: client });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);

    const forged = {
      request_id,
      status: "COMPLETED",
      error: null,
      output: { media_url: ["https://evil.example/x.mp4"], media_type: "video/mp4" },
    };
    const response = await fetch(url, { method: "POST", body: JSON.stringify(forged) });
    await until(() => events.length === 1);

    expect(response.status).toBe(200);
    expect(events[0]).toMatchObject({ request_id, status: "QUEUED", output: null });
    expect(gateway.requestsOf("status")).toHaveLength(1);
    expect(gateway.requestsOf("status")[0]?.headers["ocp-apim-subscription-key"]).toBeDefined();
  });

  it("drops a callback for a job the gateway does not know, reporting why", async () => {
    const { client } = await setup();
    const { events, errors, url } = await listening({ verify: client });

    await fetch(url, {
      method: "POST",
      body: JSON.stringify({ request_id: "ltx-2-3-text-to-video_forged", status: "COMPLETED" }),
    });
    await until(() => errors.length === 1);

    expect(errors[0]).toBeInstanceOf(NotFoundError);
    expect(events).toHaveLength(0);
  });

  it("does not let a forged callback mark the real one as already seen", async () => {
    const { gateway, client } = await setup();
    const { events, url } = await listening({ verify: client });
    gateway.nextJob({ stepMs: 40 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url } });

    await fetch(url, { method: "POST", body: JSON.stringify({ request_id, status: "COMPLETED" }) });
    await until(() => events.some((event) => event.status === "COMPLETED"));

    expect(events.at(-1)).toMatchObject({ request_id, status: "COMPLETED" });
    expect(events.at(-1)?.output?.media_url[0]).toContain(gateway.cdn.url);
  });

  it("without verify, a delivery is passed on as claimed (the documented trade-off)", async () => {
    const { events, url } = await listening();

    await fetch(url, { method: "POST", body: JSON.stringify({ request_id: "anything_1", status: "COMPLETED" }) });
    await until(() => events.length === 1);

    expect(events[0]?.status).toBe("COMPLETED");
  });
});

describe("the Node handler", () => {
  it("answers 200 before onEvent has finished", async () => {
    let release: () => void = () => {};
    const { url } = await listening({ onEvent: () => new Promise<void>((resolve) => (release = resolve)) });

    const response = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ request_id: "job_1", status: "PROCESSING" }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true });
    release();
  });

  it.each([
    ["a malformed body", { method: "POST", body: "{oops" }, 400],
    ["a body of the wrong shape", { method: "POST", body: JSON.stringify({ hello: "world" }) }, 400],
    ["a GET", { method: "GET" }, 405],
    [
      "a body over the limit",
      { method: "POST", body: JSON.stringify({ request_id: "x", status: "QUEUED", pad: "a".repeat(70_000) }) },
      413,
    ],
  ])("refuses %s", async (_name, init, status) => {
    const { events, url } = await listening();

    const response = await fetch(url, init);
    await settle(20);

    expect(response.status).toBe(status);
    expect(events).toHaveLength(0);
  });

  it("uses a body already parsed by a framework (express.json())", async () => {
    const events: JobStatus[] = [];
    const receiver = new WebhookReceiver({ onEvent: (status) => void events.push(status) });
    const handler = receiver.nodeHandler();
    const server = await rawServer((req, res) => {
      // What express.json() leaves behind: the stream consumed, the object on req.body.
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => handler(Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) }), res));
    });

    const response = await fetch(server.url, {
      method: "POST",
      body: JSON.stringify({ request_id: "job_2", status: "FAILED", error: "x" }),
    });
    await until(() => events.length === 1);

    expect(response.status).toBe(200);
    expect(events[0]).toMatchObject({ request_id: "job_2", status: "FAILED", error: "x" });
  });

  it("reports an onEvent failure to onError, after answering 200", async () => {
    const failure = new Error("database down");
    const { errors, url } = await listening({
      onEvent: () => {
        throw failure;
      },
    });

    const response = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ request_id: "job_3", status: "COMPLETED" }),
    });
    await until(() => errors.length === 1);

    expect(response.status).toBe(200);
    expect(errors[0]).toBe(failure);
  });
});

describe("the Fetch API handler", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request("http://127.0.0.1/hooks", { method: "POST", body, headers });

  it("answers 200 and passes the event on", async () => {
    const events: JobStatus[] = [];
    const handler = new WebhookReceiver({ onEvent: (status) => void events.push(status) }).fetchHandler();

    const response = await handler(post(JSON.stringify({ request_id: "job_4", status: "COMPLETED" })));
    await until(() => events.length === 1);

    expect(response.status).toBe(200);
    expect(events[0]?.request_id).toBe("job_4");
  });

  it("hands the background work to waitUntil", async () => {
    const work: Promise<unknown>[] = [];
    const events: JobStatus[] = [];
    const handler = new WebhookReceiver({ onEvent: (status) => void events.push(status) }).fetchHandler({
      waitUntil: (promise) => void work.push(promise),
    });

    await handler(post(JSON.stringify({ request_id: "job_5", status: "QUEUED" })));
    expect(work).toHaveLength(1);
    await work[0];

    expect(events).toHaveLength(1);
  });

  it("refuses malformed, oversized and non-POST requests", async () => {
    const receiver = new WebhookReceiver({ maxBodyBytes: 100 });
    const handler = receiver.fetchHandler();

    expect((await handler(post("nope"))).status).toBe(400);
    expect(
      (await handler(post(JSON.stringify({ request_id: "x", status: "QUEUED", pad: "a".repeat(200) })))).status,
    ).toBe(413);
    expect((await handler(new Request("http://127.0.0.1/hooks"))).status).toBe(405);
  });
});

describe("MemoryDeliveryStore", () => {
  it("remembers keys up to its capacity, forgetting the oldest first", () => {
    const store = new MemoryDeliveryStore(2);
    expect(store.markSeen("a")).toBe(true);
    expect(store.markSeen("a")).toBe(false);
    expect(store.markSeen("b")).toBe(true);
    expect(store.markSeen("c")).toBe(true);
    expect(store.size).toBe(2);
    expect(store.markSeen("a")).toBe(true);
    expect(store.markSeen("c")).toBe(false);
  });
});
