import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  GenerationFailedError,
  InsufficientBalanceError,
  InternalServerError,
  ModelNotFoundError,
  NotFoundError,
  PermissionDeniedError,
  Pixazo,
  PixazoError,
  RateLimitError,
  RequestTimeoutError,
  SubmitUncertainError,
  UnexpectedResponseError,
  ValidationError,
  WaitTimeoutError,
} from "../src/index.js";
import { documentedErrors, type FakeFault } from "../src/testing/index.js";
import { closedPort, PROMPT, rejectionOf, setup, TEST_KEY, thrownBy } from "./support/gateway.js";

describe("status code → error class", () => {
  const cases: [string, FakeFault, new (...args: never[]) => APIError, number][] = [
    [
      "400",
      { kind: "response", status: 400, body: { error: "Bad Request", message: "prompt is required" } },
      BadRequestError,
      400,
    ],
    ["400 Model not found", documentedErrors.modelNotFound("ltx-2-3-text-to-video"), ModelNotFoundError, 400],
    ["401", documentedErrors.unauthorized, AuthenticationError, 401],
    ["402 Insufficient Balance", documentedErrors.insufficientBalance, InsufficientBalanceError, 402],
    ["403", documentedErrors.forbidden, PermissionDeniedError, 403],
    [
      "404",
      { kind: "response", status: 404, body: { error: "Not Found", message: "no such route" } },
      NotFoundError,
      404,
    ],
    ["429", documentedErrors.rateLimited(120), RateLimitError, 429],
    ["500", documentedErrors.internalError, InternalServerError, 500],
    ["502 HTML from a proxy", documentedErrors.badGatewayHtml, InternalServerError, 502],
    ["409 (undocumented)", { kind: "response", status: 409, body: { error: "Conflict" } }, APIError, 409],
  ];

  it.each(cases)("%s", async (_name, fault, ErrorClass, status) => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    // Status reads surface the class directly (a failed submit may wrap it, see retry tests).
    gateway.inject({ on: "status", fault });

    const error = await rejectionOf(client.status("job_1"));

    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(PixazoError);
    expect((error as APIError).constructor).toBe(ErrorClass);
    expect((error as APIError).status).toBe(status);
    expect((error as APIError).requestId).toBe("job_1");
    expect((error as APIError).request).toEqual({ method: "GET", path: "/v2/requests/status/job_1" });
  });

  it("exposes the documented body fields and a readable message", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    gateway.inject({ on: "submit", fault: documentedErrors.insufficientBalance });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as InsufficientBalanceError;

    expect(error.gatewayError).toBe("Insufficient Balance");
    expect(error.gatewayMessage).toBe("Your wallet does not have enough balance.");
    expect(error.body).toEqual({ error: "Insufficient Balance", message: "Your wallet does not have enough balance." });
    expect(error.message).toBe(
      "402 Insufficient Balance: Your wallet does not have enough balance. " +
        "(POST /ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request)",
    );
  });

  it("keeps an HTML error page as a short excerpt", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    gateway.inject({ on: "status", fault: documentedErrors.badGatewayHtml });

    const error = (await rejectionOf(client.status("job_9"))) as InternalServerError;

    expect(error.body).toContain("<title>502 Bad Gateway</title>");
    expect(error.requestId).toBe("job_9");
    expect(error.message).toContain("[request job_9]");
  });

  it("reads Retry-After into retryAfterMs", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    gateway.inject({ on: "status", fault: documentedErrors.rateLimited(120) });

    const error = (await rejectionOf(client.status("job_1"))) as RateLimitError;

    expect(error.retryAfterMs).toBe(120_000);
  });
});

describe("the API key stays out of every error", () => {
  function expectNoKey(error: unknown): void {
    expect(error).toBeInstanceOf(Error);
    const views = [
      (error as Error).message,
      (error as Error).stack ?? "",
      JSON.stringify(error),
      JSON.stringify(Object.entries(error as object)),
      inspect(error, { depth: 10, showHidden: true }),
    ];
    for (const view of views) expect(view).not.toContain(TEST_KEY);
  }

  it("in API errors, connection errors, timeouts and uncertain submits", async () => {
    const { gateway, client } = await setup({ maxRetries: 0, requestTimeoutMs: 100 });
    const errors: unknown[] = [];
    for (const fault of [documentedErrors.unauthorized, documentedErrors.badGatewayHtml, { kind: "hang" } as const]) {
      gateway.inject({ on: "status", fault });
      errors.push(await rejectionOf(client.status("job_1")));
    }
    gateway.inject({ on: "submit", fault: { kind: "reset" } });
    errors.push(await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT)));
    gateway.inject({ on: "status", fault: { kind: "response", status: 200, body: "<html>" } });
    errors.push(await rejectionOf(client.status("job_1")));

    const refused = new Pixazo({ apiKey: TEST_KEY, baseUrl: `http://127.0.0.1:${await closedPort()}`, maxRetries: 0 });
    errors.push(await rejectionOf(refused.status("job_1")));

    expect(errors.map((error) => (error as Error).constructor)).toEqual([
      AuthenticationError,
      InternalServerError,
      RequestTimeoutError,
      SubmitUncertainError,
      UnexpectedResponseError,
      ConnectionError,
    ]);
    for (const error of errors) expectNoKey(error);
  });

  it("in job outcome errors", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ outcome: "FAILED" });
    const failed = await rejectionOf(client.generate("ltx-2-3-text-to-video", PROMPT));
    gateway.nextJob({ statuses: ["PROCESSING"] });
    const timedOut = await rejectionOf(client.generate("ltx-2-3-text-to-video", PROMPT, { timeoutMs: 60 }));

    expect(failed).toBeInstanceOf(GenerationFailedError);
    expect(timedOut).toBeInstanceOf(WaitTimeoutError);
    expectNoKey(failed);
    expectNoKey(timedOut);
  });

  it("in validation errors about the key itself", () => {
    const error = thrownBy(() => new Pixazo({ apiKey: `${TEST_KEY} with spaces` }));
    expect(error).toBeInstanceOf(ValidationError);
    expectNoKey(error);
  });

  it("in the debug log, whatever happens", async () => {
    const lines: string[] = [];
    const logger = {
      debug: (message: string, details: Record<string, unknown>) =>
        void lines.push(`${message} ${JSON.stringify(details)}`),
    };
    const { gateway, client } = await setup({ logger, maxRetries: 1, requestTimeoutMs: 100 });
    gateway.inject({ on: "status", fault: documentedErrors.unauthorized });
    gateway.inject({ on: "status", fault: { kind: "reset" } });
    gateway.inject({ on: "status", fault: { kind: "hang" } });
    gateway.inject({ on: "submit", fault: { kind: "reset" } });

    await client.generate("ltx-2-3-text-to-video", PROMPT).catch(() => {});
    for (let i = 0; i < 3; i++) await client.status("job_1").catch(() => {});

    expect(lines.length).toBeGreaterThan(4);
    expect(lines.some((line) => line.includes('"status":401'))).toBe(true);
    expect(lines.some((line) => line.includes("ConnectionError"))).toBe(true);
    expect(lines.join("\n")).not.toContain(TEST_KEY);
  });

  it("in the client's own inspect and JSON output", async () => {
    const { client } = await setup();
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TEST_KEY);
    expect(JSON.stringify(client)).not.toContain(TEST_KEY);
    expect(inspect(client)).toContain("baseUrl");
  });
});

describe("the gateway's words in a message", () => {
  it("stay on one line, so a newline cannot forge a line of a log", () => {
    const forged = "\nERROR billing: card declined";
    const failed = new GenerationFailedError({
      request_id: `ltx-2-3-text-to-video_a${forged}`,
      status: "FAILED",
      error: `bad${forged}`,
    } as never);
    const timedOut = new WaitTimeoutError({
      requestId: `ltx-2-3-text-to-video_a${forged}`,
      lastStatus: undefined,
      timeoutMs: 5,
    });
    for (const error of [failed, timedOut]) {
      expect(error.message).not.toContain("\n");
      expect(error.message).toContain("\\nERROR billing");
    }
    // The properties keep the gateway's text as it was sent.
    expect(failed.gatewayError).toBe(`bad${forged}`);
    expect(failed.requestId).toBe(`ltx-2-3-text-to-video_a${forged}`);
  });
});
