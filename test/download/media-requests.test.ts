/**
 * What goes to the media host and what comes back in messages: the file asked for as stored
 * (`identity`), an encoded body decoded the same way on both paths, credentials from the URL
 * sent to its origin only, and neither credentials nor the signed query in any error.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DownloadError, Pixazo } from "../../src/index.js";
import { closedPort, rawServer, rejectionOf, TEST_KEY } from "../support/gateway.js";

const FILE = randomBytes(256 * 1024);
const GZIPPED = gzipSync(FILE);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const PASSWORD = "s3cret-pass-word";
const SIGNATURE = "Signature=AbCdEf0123456789";

const folder = () => mkdtemp(join(tmpdir(), "pixazo-media-"));

describe.each([
  ["undici", {}],
  ["fetch", { fetch: globalThis.fetch }],
] as const)("media requests (%s)", (_path, transport) => {
  const client = () => new Pixazo({ apiKey: TEST_KEY, baseUrl: "http://127.0.0.1:9", maxRetries: 1, ...transport });

  it("ask for identity, and decode a gzip body sent anyway", async () => {
    const host = await rawServer((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-length": GZIPPED.length, "accept-ranges": "bytes" });
      res.end(GZIPPED);
    });
    const dir = await folder();

    const result = await client().download(`${host.url}/v.mp4`, join(dir, "v.mp4"));

    expect(sha256(await readFile(result.path))).toBe(sha256(FILE));
    expect(result.bytes).toBe(FILE.length);
    expect(host.hits).toHaveLength(1);
    expect(host.hits[0]?.headers["accept-encoding"]).toBe("identity");
  });

  it("start an encoded body over instead of resuming it: its byte positions are not the file's", async () => {
    const host = await rawServer((_req, res) => {
      res.writeHead(200, {
        "content-encoding": "gzip",
        "content-length": GZIPPED.length,
        "accept-ranges": "bytes",
        etag: '"gz-1"',
      });
      if (host.hits.length === 1) {
        res.write(GZIPPED.subarray(0, GZIPPED.length >> 1));
        res.socket?.destroySoon();
      } else res.end(GZIPPED);
    });
    const dir = await folder();

    const result = await client().download(`${host.url}/v.mp4`, join(dir, "v.mp4"));

    expect(sha256(await readFile(result.path))).toBe(sha256(FILE));
    expect(host.hits).toHaveLength(2);
    expect(host.hits[1]?.headers.range).toBeUndefined();
  });

  it("refuse, without retrying, an encoding neither path can decode", async () => {
    const host = await rawServer((_req, res) => {
      res.writeHead(200, { "content-encoding": "zstd", "content-length": 10 });
      res.end("0123456789");
    });
    const dir = await folder();

    const error = (await rejectionOf(client().download(`${host.url}/v.mp4`, join(dir, "v.mp4")))) as DownloadError;

    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain("Content-Encoding: zstd");
    expect(host.hits).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it("quote an unknown encoding's name cut short, whatever the host puts in the header", async () => {
    const host = await rawServer((_req, res) => {
      res.writeHead(200, { "content-encoding": `x-${"a".repeat(8_000)}`, "content-length": 10 });
      res.end("0123456789");
    });
    const dir = await folder();

    const error = (await rejectionOf(client().download(`${host.url}/v.mp4`, join(dir, "v.mp4")))) as DownloadError;

    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain("Content-Encoding: x-aaa");
    expect(error.message.length).toBeLessThan(400);
  });

  it("send the URL's credentials as Basic auth, and keep them and the query out of errors", async () => {
    const host = await rawServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const url = `${host.url.replace("http://", `http://media-user:${PASSWORD}@`)}/v.mp4?${SIGNATURE}`;

    const error = (await rejectionOf(client().download(url, join(await folder(), "v.mp4")))) as DownloadError;

    expect(error).toBeInstanceOf(DownloadError);
    expect(error.status).toBe(404);
    expect(error.url).toBe(`${host.url}/v.mp4`);
    expect(host.hits[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`media-user:${PASSWORD}`).toString("base64")}`,
    );
    expect(host.hits[0]?.url).toBe(`/v.mp4?${SIGNATURE}`);
    for (const rendering of [error.message, inspect(error, { depth: 5 }), JSON.stringify(error)]) {
      expect(rendering).not.toContain(PASSWORD);
      expect(rendering).not.toContain(SIGNATURE);
    }
  });

  it("keep the credentials and the query out of a network failure and its cause", async () => {
    const port = await closedPort();
    const url = `http://media-user:${PASSWORD}@127.0.0.1:${port}/v.mp4?${SIGNATURE}`;

    const error = (await rejectionOf(client().download(url, join(await folder(), "v.mp4")))) as DownloadError;

    expect(error).toBeInstanceOf(DownloadError);
    const rendering = `${error.message}\n${inspect(error, { depth: 8 })}\n${String((error.cause as Error)?.stack)}`;
    expect(rendering).not.toContain(PASSWORD);
    expect(rendering).not.toContain(SIGNATURE);
  });

  it("send the credentials across a redirect to the same origin only", async () => {
    const elsewhere = await rawServer((_req, res) => {
      res.writeHead(200, { "content-length": FILE.length });
      res.end(FILE);
    });
    const host = await rawServer((req, res) => {
      res.writeHead(302, { location: req.url === "/v.mp4" ? "/moved.mp4" : `${elsewhere.url}/final.mp4` });
      res.end();
    });
    const url = `${host.url.replace("http://", `http://media-user:${PASSWORD}@`)}/v.mp4`;

    const result = await client().download(url, join(await folder(), "v.mp4"));

    expect(sha256(await readFile(result.path))).toBe(sha256(FILE));
    expect(host.hits.map((hit) => hit.headers.authorization !== undefined)).toEqual([true, true]);
    expect(elsewhere.hits[0]?.headers.authorization).toBeUndefined();
  });
});
