/**
 * The receiver as each host calls it: the Fetch handler with the platform's own arguments after
 * the request (a Worker's env and ctx, Next's { params }, Deno's info, Bun's server), bodies an
 * outsider can make a parser produce, and AWS Lambda's events. Answers and default logs never
 * carry what was sent or anything of the host's. (Deno, Bun and workerd themselves run in the
 * runtime checks, scripts/runtime-smoke.)
 */
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import * as mounting from "../../examples/webhooks/mounting.js";
import { type JobStatus, type WebhookPayloadError, WebhookReceiver } from "../../src/index.js";
import { behindExpressJson, PROMPT, rawServer, settle, setup, until } from "../support/gateway.js";

const SECRET = "sk-live-0123456789-DO-NOT-ECHO";
const STATUS = { request_id: "ltx-2-3-text-to-video_1", status: "COMPLETED" };

/** A Worker's ExecutionContext: its waitUntil refuses to run detached from it, as workerd's does. */
class ExecutionContext {
  readonly #kept: Promise<unknown>[] = [];
  waitUntil(work: Promise<unknown>): void {
    this.#kept.push(work);
  }
  get kept(): readonly Promise<unknown>[] {
    return this.#kept;
  }
}

const post = (body: string) => new Request("http://127.0.0.1/hooks", { method: "POST", body });

/** Collects the process warnings the default onError writes while `run` runs. */
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => void warnings.push(warning.message);
  process.on("warning", onWarning);
  try {
    await run();
    await settle(20);
  } finally {
    process.off("warning", onWarning);
  }
  return warnings;
}

describe("the Fetch handler handed to the platform as it is", () => {
  it("reads the body from the request as a Worker calls it, and keeps the work alive with ctx.waitUntil", async () => {
    const events: JobStatus[] = [];
    const handler = new WebhookReceiver({ onEvent: (status) => void events.push(status) }).fetchHandler();
    const env = { PIXAZO_API_KEY: SECRET };
    const ctx = new ExecutionContext();

    const response = await handler(post(JSON.stringify(STATUS)), env, ctx);

    expect(response.status).toBe(200);
    expect(ctx.kept).toHaveLength(1);
    await Promise.all(ctx.kept);
    expect(events.map((event) => event.request_id)).toEqual([STATUS.request_id]);
  });

  it("never echoes a Worker's env, in the answer or the default log line", async () => {
    const handler = new WebhookReceiver().fetchHandler();
    let response: Response | undefined;
    const warnings = await warningsDuring(async () => {
      response = await handler(
        post(`{"request_id": 1, "note": "${SECRET.slice(0, 6)}"`),
        { PIXAZO_API_KEY: SECRET },
        {},
      );
    });

    const text = await response?.text();
    expect(response?.status).toBe(400);
    expect(JSON.parse(text ?? "")).toEqual({ error: "invalid", message: "The body is not a job status object." });
    expect(warnings).toEqual([
      expect.stringMatching(/^pixazo-ltx webhook: Webhook body is not JSON \(text of \d+ bytes\)$/),
    ]);
    expect(`${text}${warnings.join("")}`).not.toMatch(/sk-live|PIXAZO_API_KEY/);
  });

  it.each([
    ["Next.js", { params: Promise.resolve({ slug: "pixazo" }) }],
    ["Deno", { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 5 }, completed: Promise.resolve() }],
    ["Bun", { port: 3000, hostname: "127.0.0.1", pendingRequests: 1, upgrade: () => false }],
  ])("accepts a delivery with %s's second argument", async (_host, second) => {
    const events: JobStatus[] = [];
    const handler = new WebhookReceiver({ onEvent: (status) => void events.push(status) }).fetchHandler();

    const response = await handler(post(JSON.stringify(STATUS)), second);
    await until(() => events.length > 0);

    expect(response.status).toBe(200);
    expect(events[0]?.status).toBe("COMPLETED");
  });

  it("prefers the waitUntil it was given over the platform's, and survives a context whose getter throws", async () => {
    const given: Promise<unknown>[] = [];
    const receiver = new WebhookReceiver({ onError: () => {} });
    const ctx = new ExecutionContext();
    const hostile = Object.defineProperty({}, "waitUntil", {
      get() {
        throw new Error("no");
      },
    });

    await receiver.fetchHandler({ waitUntil: (work) => void given.push(work) })(post(JSON.stringify(STATUS)), {}, ctx);
    const second = await receiver.fetchHandler()(post(JSON.stringify(STATUS)), hostile);

    expect(given).toHaveLength(1);
    expect(ctx.kept).toHaveLength(0);
    expect(second.status).toBe(200);
  });

  it("answers 500 to a request whose body a framework used, and points to respond(body)", async () => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ onError: (error) => void errors.push(error) });
    const request = post(JSON.stringify(STATUS));
    await request.json();

    const response = await receiver.fetchHandler()(request);

    expect(response.status).toBe(500);
    expect((errors[0] as WebhookPayloadError).message).toContain("receiver.respond(body)");
  });
});

describe("the default log line of a delivery that fails later", () => {
  it("names the job by an id that looks like one, and never the sender's status text", async () => {
    const verify = {
      status: async () => {
        throw new Error("Request not found");
      },
    };
    const handler = new WebhookReceiver({ verify }).fetchHandler();
    const warnings = await warningsDuring(async () => {
      await handler(post(JSON.stringify({ request_id: "ltx-2-3-text-to-video_abc", status: "\u001b[2JCOMPLETED" })));
      await handler(post(JSON.stringify({ request_id: "job with spaces\u001b[31m", status: "COMPLETED" })));
      await settle(50);
    });

    expect(warnings).toEqual([
      "pixazo-ltx webhook for ltx-2-3-text-to-video_abc: Request not found",
      "pixazo-ltx webhook for a delivery: Request not found",
    ]);
  });
});

describe("respond(body): a body a framework already read", () => {
  it("answers 200 and processes a parsed object, 400 with fixed words for a bad one, 413 over the limit", async () => {
    const events: JobStatus[] = [];
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({
      maxBodyBytes: 1024,
      onEvent: (status) => void events.push(status),
      onError: (error) => void errors.push(error),
    });

    const accepted = receiver.respond(STATUS);
    const refused = receiver.respond({ PIXAZO_API_KEY: SECRET });
    const large = receiver.respond("x".repeat(2048));
    await until(() => events.length > 0);

    expect([accepted.status, refused.status, large.status]).toEqual([200, 400, 413]);
    expect(await refused.text()).not.toContain(SECRET);
    expect((errors[0] as Error).message).toBe(
      "Webhook body is not a job status object (request_id: Invalid input; status: Invalid input; the body is an object of 1 field)",
    );
    expect((errors[1] as WebhookPayloadError).problem).toBe("too-large");
  });
});

describe("bodies an outsider can make a parser produce are 4xx, never 500", () => {
  it.each([
    ["{}", "{}", { strict: true }],
    ["null", "null", { strict: false }],
    ["[]", "[]", { strict: true }],
  ])("express.json() and a POST of %s: 400, reported as invalid", async (_name, body, options) => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ onError: (error) => void errors.push(error) });
    const url = await behindExpressJson(receiver.nodeHandler(), options);

    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });

    expect(response.status).toBe(400);
    expect((errors[0] as WebhookPayloadError).problem).toBe("invalid");
  });

  it("a sender that drops the connection mid-body is reported as invalid, not as a mounting problem", async () => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ onError: (error) => void errors.push(error) });
    const server = await rawServer(receiver.nodeHandler());
    const { connect } = await import("node:net");
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    await once(socket, "connect");
    socket.write('POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"request_id"');
    await settle(50);
    socket.destroy();
    await until(() => errors.length > 0);

    expect((errors[0] as WebhookPayloadError).problem).not.toBe("unreadable");
  });
});

/** A stand-in for API Gateway's HTTP API: each POST becomes a v2 event with a base64 body. */
async function apiGateway(receiver: WebhookReceiver): Promise<mounting.Mounted> {
  const handler = mounting.lambda(receiver);
  const { url } = await rawServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const event = {
      version: "2.0",
      rawPath: req.url,
      headers: req.headers,
      requestContext: { http: { method: req.method } },
      body: Buffer.concat(chunks).toString("base64"),
      isBase64Encoded: true,
    };
    const result = await handler(event);
    res.writeHead(result.statusCode, result.headers);
    res.end(result.body);
  });
  return { url: `${url}/hooks`, close: async () => {} }; // rawServer closes it after the test
}

describe("AWS Lambda behind API Gateway (the webhook guide's recipe)", () => {
  it("ends a wait on the verified callback, through base64-encoded events", async () => {
    const { gateway, client } = await setup();
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ verify: client, onError: (error) => void errors.push(error) });
    const server = await apiGateway(receiver);

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, {
      webhook: { url: server.url },
      events: receiver,
    });

    // The answer follows the processing here, so the wait may end before the gateway has it.
    await until(() => gateway.deliveries[0]?.response !== undefined);
    expect(job.status).toBe("COMPLETED");
    expect(gateway.requestsOf("status")).toHaveLength(1);
    expect(gateway.deliveries.map((delivery) => delivery.response)).toEqual([200]);
    expect(errors).toEqual([]);
  });

  it.each([
    ["REST API (v1), base64", { body: Buffer.from(JSON.stringify(STATUS)).toString("base64"), isBase64Encoded: true }],
    ["REST API (v1), text", { body: JSON.stringify(STATUS), isBase64Encoded: false }],
    ["HTTP API (v2), base64", { body: Buffer.from(JSON.stringify(STATUS)).toString("base64"), isBase64Encoded: true }],
  ])("%s: onEvent has run when the handler returns", async (_format, event) => {
    const events: JobStatus[] = [];
    const handler = mounting.lambda(new WebhookReceiver({ onEvent: async (status) => void events.push(status) }));

    const result = await handler(event);

    expect(result.statusCode).toBe(200);
    expect(events.map((status) => status.request_id)).toEqual([STATUS.request_id]);
  });

  it("answers 400 with fixed words to an event with no body", async () => {
    const handler = mounting.lambda(new WebhookReceiver({ onError: () => {} }));

    const result = await handler({ body: null });

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ error: "invalid", message: "The body is not a job status object." });
  });
});
