import { describe, expect, it } from "vitest";
import { Pixazo, RequestTimeoutError, UnexpectedResponseError } from "../../src/index.js";
import { VERSION } from "../../src/internal/version.js";
import { PROMPT, rawServer, rejectionOf, setup, TEST_KEY } from "../support/gateway.js";

describe("the wire request", () => {
  it("sends a submit as a JSON POST to the model path with the documented headers", async () => {
    const { gateway, client } = await setup();
    const input = { prompt: "Waves at dusk", duration: 8, resolution: "1440p", generate_audio: false } as const;

    const submitted = await client.submit("ltx-2-3-text-to-video", input);

    const [request] = gateway.requests;
    expect(gateway.requests).toHaveLength(1);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["cache-control"]).toBe("no-cache");
    expect(request?.headers["ocp-apim-subscription-key"]).toBe(TEST_KEY);
    expect(request?.headers["user-agent"]).toMatch(new RegExp(`^pixazo-ltx/${VERSION.replaceAll(".", "\\.")} `));
    expect(request?.body).toEqual(input);
    expect(submitted.request_id).toMatch(/^ltx-2-3-text-to-video_/);
    expect(submitted.status).toBe("QUEUED");
    expect(submitted.polling_url).toBe(`${gateway.url}/v2/requests/status/${submitted.request_id}`);
  });

  it("reads a status with a GET carrying the key and no body", async () => {
    const { gateway, client } = await setup();
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);

    const status = await client.status(request_id);

    const read = gateway.requestsOf("status")[0];
    expect(read?.method).toBe("GET");
    expect(read?.path).toBe(`/v2/requests/status/${request_id}`);
    expect(read?.headers["ocp-apim-subscription-key"]).toBe(TEST_KEY);
    expect(read?.headers["content-type"]).toBeUndefined();
    expect(read?.body).toBeUndefined();
    expect(status).toMatchObject({ request_id, status: "QUEUED", model_id: "ltx-2-3-text-to-video", output: null });
  });

  it("escapes the request id into a single path segment", async () => {
    const { gateway, client } = await setup();
    await rejectionOf(client.status("../../ltx-2-3-text-to-video/v1/x?y=1"));
    expect(gateway.requests[0]?.path).toBe("/v2/requests/status/..%2F..%2Fltx-2-3-text-to-video%2Fv1%2Fx%3Fy%3D1");
  });

  it("keeps a base URL's path prefix (a proxy in front of the gateway)", async () => {
    const { gateway } = await setup();
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: `${gateway.url}/pixazo/` });
    const { request_id } = await client.submit("lightricks-video", { prompt: "Clouds" });
    await client.status(request_id);
    await client.close();
    expect(gateway.requests.map((request) => request.path)).toEqual([
      "/pixazo/lightricks/v1/ltx/generate",
      `/pixazo/v2/requests/status/${request_id}`,
    ]);
  });
});

describe("redirects", () => {
  it.each(["undici", "fetch"] as const)(
    "are not followed, so the key never reaches another origin (%s)",
    async (via) => {
      const elsewhere = await rawServer((_req, res) => res.end("{}"));
      const gateway = await rawServer((_req, res) => {
        res.writeHead(307, { location: `${elsewhere.url}/v2/requests/status/x` });
        res.end();
      });
      const client = new Pixazo({
        apiKey: TEST_KEY,
        baseUrl: gateway.url,
        maxRetries: 0,
        ...(via === "fetch" ? { fetch: globalThis.fetch } : {}),
      });

      const error = await rejectionOf(client.status("job_1"));

      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as UnexpectedResponseError).status).toBe(307);
      expect((error as Error).message).toContain(elsewhere.url);
      expect(gateway.hits).toHaveLength(1);
      expect(elsewhere.hits).toHaveLength(0);
      await client.close();
    },
  );
});

describe("odd replies", () => {
  it("rejects a 200 HTML page with UnexpectedResponseError and a short excerpt", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    gateway.inject({
      on: "status",
      fault: {
        kind: "response",
        status: 200,
        headers: { "content-type": "text/html" },
        body: `<html><body>${"x".repeat(2000)}</body></html>`,
      },
    });

    const error = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.requestId).toBe("job_1");
    expect(error.excerpt.startsWith("<html><body>xxx")).toBe(true);
    expect(error.excerpt.length).toBeLessThanOrEqual(301);
    expect(error.message).toContain("text/html");
  });

  it("rejects a status body of the wrong shape, naming the bad field", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    gateway.inject({
      on: "status",
      fault: { kind: "response", status: 200, body: { request_id: "job_1", status: 7 } },
    });

    const error = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toContain("status");
    expect(error.requestId).toBe("job_1");
  });

  it("stops reading a body over the size limit", async () => {
    const huge = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"pad":"${"a".repeat(2 * 1024 * 1024)}"}`);
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: huge.url, maxRetries: 0 });

    const error = await rejectionOf(client.status("job_1"));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain("exceeds");
    await client.close();
  });

  it("redacts the key if a server echoes it back in an error body", async () => {
    const echo = await rawServer((req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: "Boom", message: `bad key ${String(req.headers["ocp-apim-subscription-key"])}` }),
      );
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: echo.url, maxRetries: 0 });

    const error = await rejectionOf(client.status("job_1"));

    expect((error as Error).message).toContain("bad key [redacted]");
    expect(JSON.stringify((error as { body: unknown }).body)).not.toContain(TEST_KEY);
    await client.close();
  });
});

describe("request timeout", () => {
  it("aborts a request that gets no answer within requestTimeoutMs", async () => {
    const { gateway, client } = await setup({ requestTimeoutMs: 150, maxRetries: 0 });
    gateway.inject({ on: "status", fault: { kind: "hang" } });

    const error = (await rejectionOf(client.status("job_1"))) as RequestTimeoutError;

    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.timeoutMs).toBe(150);
    expect(error.requestId).toBe("job_1");
    expect(error.request).toEqual({ method: "GET", path: "/v2/requests/status/job_1" });
  });
});
