import { brotliCompressSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Pixazo, SubmitUncertainError, UnexpectedResponseError } from "../../src/index.js";
import { PROMPT, rawServer, rejectionOf, setup, TEST_KEY } from "../support/gateway.js";

const EXCERPT_LIMIT = 301;

/** A client sending through undici (the default on Node) or through `fetch`, with no retry. */
const clientVia = (via: "undici" | "fetch", baseUrl: string) =>
  new Pixazo({ apiKey: TEST_KEY, baseUrl, maxRetries: 0, ...(via === "fetch" ? { fetch: globalThis.fetch } : {}) });

describe("replies the gateway might send by mistake", () => {
  it.each([
    ["wrong types", { request_id: 42, status: ["COMPLETED"], output: "video.mp4" }],
    ["missing fields", { model_id: "ltx-2-3-text-to-video" }],
    ["null", null],
    ["an array", [{ request_id: "x", status: "COMPLETED" }]],
    ["a string", "COMPLETED"],
    ["output of the wrong shape", { request_id: "x", status: "COMPLETED", output: { media_url: [1, 2] } }],
  ])("%s in a status → UnexpectedResponseError with a short excerpt", async (_name, body) => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    gateway.inject({
      on: "status",
      fault: {
        kind: "response",
        status: 200,
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      },
    });

    const error = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.requestId).toBe("job_1");
    expect(error.excerpt.length).toBeLessThanOrEqual(EXCERPT_LIMIT);
    expect(error.message.length).toBeLessThan(1_000);
  });

  it("deeply nested JSON → UnexpectedResponseError, no crash", async () => {
    const depth = 200_000;
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(nested);
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 0 });

    const error = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.excerpt.length).toBeLessThanOrEqual(EXCERPT_LIMIT);
    await client.close();
  });

  it.each(["undici", "fetch"] as const)("a huge body stops being read at the limit (%s)", async (via) => {
    let sent = 0;
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = (): void => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const client = clientVia(via, server.url);

    const error = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toContain("exceeds 1048576 bytes");
    // The rest of the 50 MB was never pulled in.
    expect(sent).toBeLessThan(50 * 1024 * 1024);
    await client.close();
  });

  it.each(["undici", "fetch"] as const)("an encoded reply is read decoded on both transports (%s)", async (via) => {
    const server = await rawServer((req, res) => {
      const requestId = req.url?.split("/").pop() ?? "";
      const body = JSON.stringify({ request_id: requestId, status: "PROCESSING" });
      const br = requestId.endsWith("br");
      res.writeHead(200, { "content-type": "application/json", "content-encoding": br ? "br" : "gzip" });
      res.end(br ? brotliCompressSync(body) : gzipSync(body));
    });
    const client = clientVia(via, server.url);

    await expect(client.status("job_gzip")).resolves.toMatchObject({ request_id: "job_gzip", status: "PROCESSING" });
    await expect(client.status("job_br")).resolves.toMatchObject({ request_id: "job_br", status: "PROCESSING" });
    await client.close();
  });

  it.each(["undici", "fetch"] as const)(
    "a reply in an encoding nothing decodes is an UnexpectedResponseError (%s)",
    async (via) => {
      const server = await rawServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "zstd" });
        res.end("(\xb5/\xfd not really zstd)");
      });
      const client = clientVia(via, server.url);

      const error = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect(error.requestId).toBe("job_1");
      expect(error.message).toContain("encoding that cannot be decoded");
      await client.close();
    },
  );

  it("a submit reply of the wrong shape is a SubmitUncertainError, not a retry", async () => {
    const { gateway, client } = await setup();
    gateway.inject({
      on: "submit",
      fault: { kind: "response", status: 202, body: { request_id: 123, status: "QUEUED" } },
    });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as SubmitUncertainError;

    expect(error).toBeInstanceOf(SubmitUncertainError);
    expect(error.cause).toBeInstanceOf(UnexpectedResponseError);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });
});

describe("the API key and other origins", () => {
  it("a polling_url on another origin is never followed", async () => {
    const elsewhere = await rawServer((_req, res) => res.end("{}"));
    const { gateway, client } = await setup();
    gateway.inject({
      on: "submit",
      afterProcessing: false,
      fault: {
        kind: "response",
        status: 202,
        body: {
          request_id: "ltx-2-3-text-to-video_known",
          status: "QUEUED",
          polling_url: `${elsewhere.url}/v2/requests/status/steal`,
        },
      },
    });

    const submitted = await client.submit("ltx-2-3-text-to-video", PROMPT);
    await rejectionOf(client.wait(submitted.request_id, { timeoutMs: 100 }));

    expect(submitted.polling_url).toContain(elsewhere.url);
    expect(elsewhere.hits).toHaveLength(0);
    expect(
      gateway.requestsOf("status").every((r) => r.path === "/v2/requests/status/ltx-2-3-text-to-video_known"),
    ).toBe(true);
  });
});
