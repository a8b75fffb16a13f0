import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, retryDelayMs } from "../../src/gateway/retry-rules.js";
import {
  BadRequestError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  Pixazo,
  RateLimitError,
  RequestTimeoutError,
  SubmitUncertainError,
  UnexpectedResponseError,
} from "../../src/index.js";
import { backoffDelayMs, RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from "../../src/internal/backoff.js";
import { parseRetryAfter } from "../../src/internal/retry-after.js";
import { documentedErrors } from "../../src/testing/index.js";
import { closedPort, PROMPT, rejectionOf, settle, setup, TEST_KEY, until } from "../support/gateway.js";

const retryNow = {
  kind: "response",
  status: 503,
  headers: { "retry-after": "0" },
  body: { error: "Service Unavailable" },
} as const;

describe("status reads", () => {
  it("retry a 5xx and succeed, counting the requests on the server", async () => {
    const { gateway, client } = await setup();
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    gateway.inject({ on: "status", fault: retryNow, times: 2 });

    const status = await client.status(request_id);

    expect(status.status).toBe("QUEUED");
    expect(gateway.requestsOf("status")).toHaveLength(3);
  });

  it("give up after maxRetries with the last error", async () => {
    const { gateway, client } = await setup({ maxRetries: 1 });
    gateway.inject({ on: "status", fault: retryNow, times: 5 });

    const error = await rejectionOf(client.status("job_1"));

    expect(error).toBeInstanceOf(InternalServerError);
    expect(gateway.requestsOf("status")).toHaveLength(2);
  });

  it("retry 408, 429, a reset connection and a timeout", async () => {
    const { gateway, client } = await setup({ maxRetries: 4, requestTimeoutMs: 100 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    // Faults without Retry-After first, while the backoff is still short.
    gateway.inject({ on: "status", fault: { kind: "reset" } });
    gateway.inject({ on: "status", fault: { kind: "hang" } });
    gateway.inject({ on: "status", fault: { kind: "response", status: 408, headers: { "retry-after": "0" } } });
    gateway.inject({ on: "status", fault: documentedErrors.rateLimited(0) });

    const status = await client.status(request_id);

    expect(status.request_id).toBe(request_id);
    expect(gateway.requestsOf("status")).toHaveLength(5);
  });

  it("retry an HTML page or a cut-off body from a proxy", async () => {
    const { gateway, client } = await setup({ maxRetries: 3 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    gateway.inject({
      on: "status",
      fault: { kind: "response", status: 200, headers: { "content-type": "text/html" }, body: "<html>busy</html>" },
    });
    gateway.inject({ on: "status", fault: { kind: "truncated-body" } });

    const status = await client.status(request_id);

    expect(status.request_id).toBe(request_id);
    expect(gateway.requestsOf("status")).toHaveLength(3);
  });

  it("do not retry a definite answer such as 404", async () => {
    const { gateway, client } = await setup();

    const error = await rejectionOf(client.status("ltx-2-3-text-to-video_unknown"));

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).requestId).toBe("ltx-2-3-text-to-video_unknown");
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("back off exponentially when there is no Retry-After", async () => {
    const { gateway, client } = await setup({ maxRetries: 1 });
    gateway.inject({ on: "status", fault: documentedErrors.internalError, times: 2 });

    const error = await rejectionOf(client.status("job_1"));

    expect(error).toBeInstanceOf(InternalServerError);
    expect(gateway.requestsOf("status")).toHaveLength(2);
  });

  it("surface a Retry-After longer than the cap at once instead of sleeping through it", async () => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "status", fault: documentedErrors.rateLimited(3600) });

    const error = (await rejectionOf(client.status("job_1"))) as RateLimitError;

    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("abort during a Retry-After sleep at once, and send nothing more", async () => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "status", fault: documentedErrors.rateLimited(30) });
    const controller = new AbortController();
    const reason = new Error("user cancelled");

    const pending = rejectionOf(client.status("job_1", { signal: controller.signal }));
    await until(() => gateway.requestsOf("status").length === 1);
    await settle(20);
    controller.abort(reason);

    expect(await pending).toBe(reason);
    await settle();
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });
});

describe("submits", () => {
  it("are resent after a 429, and only one job is created", async () => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "submit", fault: documentedErrors.rateLimited(0) });

    const submitted = await client.submit("ltx-2-3-text-to-video", PROMPT);

    expect(gateway.requestsOf("submit")).toHaveLength(2);
    expect([...gateway.jobs.keys()]).toEqual([submitted.request_id]);
  });

  it("are resent when the connection was provably never made", async () => {
    const { gateway } = await setup();
    let calls = 0;
    // The first call fails the way fetch reports a refused connection; the second goes through.
    const flakyFetch: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls === 1) {
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), {
            code: "ECONNREFUSED",
            syscall: "connect",
          }),
        });
      }
      return fetch(input, init);
    };
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, fetch: flakyFetch });

    const submitted = await client.submit("ltx-2-3-text-to-video", PROMPT);

    expect(calls).toBe(2);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
    expect(gateway.jobs.has(submitted.request_id)).toBe(true);
  });

  it("to a refused port fail with a ConnectionError that says nothing was sent", async () => {
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: `http://127.0.0.1:${await closedPort()}`, maxRetries: 1 });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as ConnectionError;

    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.mayHaveReachedGateway).toBe(false);
    expect(error.message).toContain("the request was not sent");
  });

  it("are not resent after a reset once the gateway created the job: SubmitUncertainError", async () => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "submit", fault: { kind: "reset" }, afterProcessing: true });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as SubmitUncertainError;

    expect(error).toBeInstanceOf(SubmitUncertainError);
    expect(error.modelId).toBe("ltx-2-3-text-to-video");
    expect(error.cause).toBeInstanceOf(ConnectionError);
    expect((error.cause as ConnectionError).mayHaveReachedGateway).toBe(true);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
    expect(gateway.jobs.size).toBe(1);
  });

  it.each([
    ["a 5xx", documentedErrors.internalError, InternalServerError],
    ["a timeout", { kind: "hang" } as const, RequestTimeoutError],
    [
      "a 202 without request_id",
      { kind: "response", status: 202, body: { status: "QUEUED" } } as const,
      UnexpectedResponseError,
    ],
    [
      "a 200 HTML page",
      { kind: "response", status: 200, body: "<html>maintenance</html>" } as const,
      UnexpectedResponseError,
    ],
  ])("are not resent after %s: SubmitUncertainError", async (_name, fault, Cause) => {
    const { gateway, client } = await setup({ requestTimeoutMs: 100 });
    gateway.inject({ on: "submit", fault });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as SubmitUncertainError;

    expect(error).toBeInstanceOf(SubmitUncertainError);
    expect(error.cause).toBeInstanceOf(Cause);
    expect(error.message).toContain("may be charged");
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("are not resent after a definite refusal, which surfaces as is", async () => {
    const { gateway, client } = await setup();
    gateway.inject({
      on: "submit",
      fault: { kind: "response", status: 400, body: { error: "Bad Request", message: "prompt is required" } },
    });

    const error = await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT));

    expect(error).toBeInstanceOf(BadRequestError);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("aborted mid-request say a job may exist (SubmitUncertainError, cause: the reason) and are not resent", async () => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "submit", fault: { kind: "hang" } });
    const controller = new AbortController();

    const pending = rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT, { signal: controller.signal }));
    await until(() => gateway.requestsOf("submit").length === 1);
    controller.abort("stop");

    const error = (await pending) as SubmitUncertainError;
    expect(error).toBeInstanceOf(SubmitUncertainError);
    expect(error.cause).toBe("stop");
    expect(error.message).toMatch(/aborted after it may have reached the gateway/);
    await settle();
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("aborted while waiting out a 429 reject with the bare reason: the refused attempt created nothing", async () => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "submit", fault: documentedErrors.rateLimited(30) });
    const controller = new AbortController();

    const pending = rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT, { signal: controller.signal }));
    await until(() => gateway.requestsOf("submit").length === 1);
    await settle(20);
    controller.abort("stop");

    expect(await pending).toBe("stop");
    await settle();
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });
});

describe("retry delays", () => {
  it("honour Retry-After in seconds and as an HTTP date", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7_000);
    expect(parseRetryAfter("1.5", now)).toBe(1_500);
    expect(parseRetryAfter("Tue, 24 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 24 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("use the server's delay up to the cap, and none beyond it", () => {
    const unavailable = (retryAfterMs: number) =>
      Object.assign(Object.create(InternalServerError.prototype), { status: 503, retryAfterMs });
    expect(retryDelayMs("status", unavailable(2_000), 0, 2)).toBe(2_000);
    expect(retryDelayMs("status", unavailable(MAX_RETRY_AFTER_MS), 0, 2)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelayMs("status", unavailable(MAX_RETRY_AFTER_MS + 1), 0, 2)).toBeUndefined();
  });

  it("wait out a 429 once (the pause it started), plus the usual backoff", () => {
    const limited = (retryAfterMs: number | undefined) =>
      Object.assign(Object.create(RateLimitError.prototype), { status: 429, retryAfterMs });
    expect(retryDelayMs("submit", limited(2_000), 0, 2, () => 0)).toBe(2_000 + RETRY_BASE_DELAY_MS / 2);
    expect(retryDelayMs("status", limited(undefined), 1, 2, () => 1)).toBe(1_000 + RETRY_BASE_DELAY_MS * 2);
    expect(retryDelayMs("submit", limited(MAX_RETRY_AFTER_MS + 1), 0, 2)).toBeUndefined();
  });

  it("stop at maxRetries, and never retry what the request kind forbids", () => {
    const reset = new ConnectionError({
      message: "reset",
      code: "ECONNRESET",
      mayHaveReachedGateway: true,
      request: { method: "POST", path: "/x" },
    });
    expect(retryDelayMs("status", reset, 0, 2, () => 0)).toBe(RETRY_BASE_DELAY_MS / 2);
    expect(retryDelayMs("status", reset, 2, 2)).toBeUndefined();
    expect(retryDelayMs("submit", reset, 0, 2)).toBeUndefined();
  });

  it("grow exponentially with jitter, within bounds", () => {
    expect(backoffDelayMs(0, () => 0)).toBe(RETRY_BASE_DELAY_MS / 2);
    expect(backoffDelayMs(0, () => 1)).toBe(RETRY_BASE_DELAY_MS);
    expect(backoffDelayMs(2, () => 1)).toBe(RETRY_BASE_DELAY_MS * 4);
    expect(backoffDelayMs(20, () => 1)).toBe(RETRY_MAX_DELAY_MS);
    expect(backoffDelayMs(20, () => 0)).toBe(RETRY_MAX_DELAY_MS / 2);
  });
});
