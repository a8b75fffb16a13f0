/**
 * How many attempts a download makes, and when one ends: attempts that bring the file further
 * do not use up the retries, a silent host ends an attempt after `stallTimeoutMs`, and nothing
 * loops forever.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_DOWNLOAD_ATTEMPTS } from "../../src/download/download.js";
import { DownloadError, Pixazo, type PixazoOptions, ValidationError } from "../../src/index.js";
import { rawServer, rejectionOf, TEST_KEY } from "../support/gateway.js";

const FILE = randomBytes(2 * 1024 * 1024);
const ETAG = `"${createHash("sha1").update(FILE).digest("hex")}"`;
/** Compared by hash: an element-by-element comparison of megabytes takes seconds. */
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Serves FILE (or the range asked for) and lets `shape` decide how much of it goes out. */
async function host(shape: (res: ServerResponse, body: Buffer, index: number) => void) {
  const server = await rawServer((req, res) => {
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? 0);
    const body = FILE.subarray(start);
    const headers: Record<string, string | number> = {
      "content-length": body.length,
      "accept-ranges": "bytes",
      etag: ETAG,
    };
    if (start > 0) headers["content-range"] = `bytes ${start}-${FILE.length - 1}/${FILE.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    shape(res, body, server.hits.length - 1);
  });
  return { url: `${server.url}/video.mp4`, requests: server.hits };
}

const cut = (res: ServerResponse, body: Buffer, bytes: number) => {
  res.write(body.subarray(0, bytes));
  res.socket?.destroySoon();
};

async function folder() {
  return mkdtemp(join(tmpdir(), "pixazo-attempts-"));
}

function client(options: PixazoOptions = {}) {
  return new Pixazo({ apiKey: TEST_KEY, baseUrl: "http://127.0.0.1:9", ...options });
}

describe("the retry budget counts attempts without progress", () => {
  it("finishes a file whose connection drops five times, each time further along, with maxRetries 1", async () => {
    // Found: each drop used a retry, so three drops failed a 200 MiB download.
    const media = await host((res, body, index) => (index < 5 ? cut(res, body, 300 * 1024) : res.end(body)));
    const dir = await folder();

    const result = await client({ maxRetries: 1 }).download(media.url, join(dir, "v.mp4"));

    expect(sha256(await readFile(result.path))).toBe(sha256(FILE));
    expect(media.requests).toHaveLength(6);
    expect(media.requests.slice(1).every((request) => request.headers.range !== undefined)).toBe(true);
  });

  it("gives up after maxRetries attempts in a row that bring nothing new", async () => {
    const media = await host((res) => res.socket?.destroy());
    const dir = await folder();

    const error = await rejectionOf(client({ maxRetries: 2 }).download(media.url, join(dir, "v.mp4")));

    expect(error).toBeInstanceOf(DownloadError);
    expect(media.requests).toHaveLength(3);
    expect(await readdir(dir)).toEqual([]);
  });

  it(`stops after ${MAX_DOWNLOAD_ATTEMPTS} attempts however much each brings`, async () => {
    const media = await host((res, body) => cut(res, body, 1));
    const dir = await folder();

    const error = (await rejectionOf(client().download(media.url, join(dir, "v.mp4")))) as DownloadError;

    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain(`gave up after ${MAX_DOWNLOAD_ATTEMPTS} attempts`);
    expect(media.requests).toHaveLength(MAX_DOWNLOAD_ATTEMPTS);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe.each([
  ["undici", {}],
  ["fetch", { fetch: globalThis.fetch }],
] as const)("a stalled media host (%s)", (_path, transport) => {
  it("ends the attempt after requestTimeoutMs without a byte, and resumes", async () => {
    const media = await host((res, body, index) => {
      if (index === 0)
        res.write(body.subarray(0, 1000)); // ...then nothing, connection open
      else res.end(body);
    });
    const dir = await folder();

    const result = await client({ requestTimeoutMs: 300, ...transport }).download(media.url, join(dir, "v.mp4"));

    expect(sha256(await readFile(result.path))).toBe(sha256(FILE));
    expect(media.requests).toHaveLength(2);
    expect(media.requests[1]?.headers.range).toBe("bytes=1000-");
  });

  it("ends an attempt that gets no response headers, per the download's stallTimeoutMs", async () => {
    const silent = await rawServer(() => {}); // never answers
    const dir = await folder();
    const started = Date.now();

    const error = (await rejectionOf(
      client({ maxRetries: 1, ...transport }).download(`${silent.url}/v.mp4`, join(dir, "v.mp4"), {
        stallTimeoutMs: 200,
      }),
    )) as DownloadError;

    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain("sent nothing for 200 ms");
    expect(silent.hits).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await readdir(dir)).toEqual([]);
  });

  it("still ends at once on the caller's abort, with its reason", async () => {
    const media = await host((res, body) => res.write(body.subarray(0, 1000)));
    const dir = await folder();
    const controller = new AbortController();
    const reason = new Error("user cancelled");

    const download = client(transport).download(media.url, join(dir, "v.mp4"), {
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });

    await expect(download).rejects.toBe(reason);
    expect(await readdir(dir)).toEqual([]);
  });
});

it("refuses a stallTimeoutMs that is not a positive integer, before any request", async () => {
  const media = await host((res, body) => res.end(body));
  for (const stallTimeoutMs of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
    const error = await rejectionOf(client().download(media.url, join(await folder(), "v.mp4"), { stallTimeoutMs }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain("options.stallTimeoutMs");
  }
  expect(media.requests).toHaveLength(0);
});
