/**
 * A hostile or broken media host answering resumes wrongly: a part that is not the one asked
 * for is never written after the bytes on disk. The download starts over, or fails with nothing
 * left behind; it never renames a short or spliced file into place.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DownloadError, Pixazo } from "../../src/index.js";
import { rawServer, TEST_KEY } from "../support/gateway.js";

const FILE = randomBytes(1000);
const ETAG = `"${createHash("sha1").update(FILE).digest("hex")}"`;
const A_MINUTE_AGO = new Date(Date.now() - 60_000).toUTCString();

type Step = (res: ServerResponse, req: IncomingMessage) => void;

/** The whole file with a strong ETag, cut after `bytes` (the connection then drops). */
const wholeCutAt =
  (bytes: number, headers: Record<string, string> = { etag: ETAG }): Step =>
  (res) => {
    res.writeHead(200, { "content-length": FILE.length, "accept-ranges": "bytes", ...headers });
    res.write(FILE.subarray(0, bytes));
    res.socket?.destroySoon();
  };
const whole: Step = (res) => {
  res.writeHead(200, { "content-length": FILE.length, "accept-ranges": "bytes", etag: ETAG });
  res.end(FILE);
};
const partial =
  (first: number, last: number, total: number | "*", headers: Record<string, string> = { etag: ETAG }): Step =>
  (res) => {
    const body = FILE.subarray(first, last + 1);
    res.writeHead(206, {
      "content-range": `bytes ${first}-${last}/${total}`,
      "content-length": body.length,
      ...headers,
    });
    res.end(body);
  };

/** A media host answering its n-th request with `steps[n]` (the last step repeats). */
async function scriptedHost(steps: Step[]) {
  const host = await rawServer((req, res) => {
    const index = Math.min(host.hits.length - 1, steps.length - 1);
    steps[index]?.(res, req);
  });
  return { url: `${host.url}/video.mp4`, requests: host.hits };
}

async function download(url: string, options: { maxRetries?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "pixazo-partial-"));
  const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: "http://127.0.0.1:9", ...options });
  const target = join(dir, "video.mp4");
  try {
    const result = await client.download(url, target);
    return { result, dir, bytes: await readFile(target) };
  } catch (error) {
    return { error, dir, left: await readdir(dir) };
  } finally {
    await client.close();
  }
}

describe("a 206 is written only when it is the part asked for", () => {
  it("starts over when a resume is answered with another range of the file", async () => {
    const host = await scriptedHost([wholeCutAt(500), partial(0, 99, 1000), whole]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
    expect(host.requests[1]?.headers.range).toBe("bytes=500-");
    expect(host.requests[2]?.headers.range).toBeUndefined();
  });

  it("fails with nothing on disk when every resume is answered wrongly and every full body is cut", async () => {
    const host = await scriptedHost([wholeCutAt(500), partial(0, 99, 1000), wholeCutAt(500), partial(0, 99, 1000)]);

    const { error, left } = await download(host.url, { maxRetries: 2 });

    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toContain("a 206 starting at byte 0 instead of 500");
    expect(left).toEqual([]);
  });

  it("does not take a 206 to a request for the whole file as the whole file", async () => {
    const host = await scriptedHost([partial(0, 999, 1000)]);

    const { error, left } = await download(host.url, { maxRetries: 1 });

    expect((error as DownloadError).message).toContain("a 206 Partial Content answered a request for the whole file");
    expect(host.requests).toHaveLength(2);
    expect(left).toEqual([]);
  });

  it("starts over when the 206 is of a file of another length", async () => {
    const host = await scriptedHost([wholeCutAt(500), partial(500, 999, 2000), whole]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
    expect(host.requests.map((request) => request.headers.range)).toEqual([undefined, "bytes=500-", undefined]);
  });

  it("starts over when the 206 carries another ETag, or none", async () => {
    for (const headers of [{ etag: '"another-version"' }, {} as Record<string, string>]) {
      const host = await scriptedHost([wholeCutAt(500), partial(500, 999, 1000, headers), whole]);

      const { bytes } = await download(host.url);

      expect(bytes).toEqual(FILE);
      expect(host.requests).toHaveLength(3);
      expect(host.requests[2]?.headers.range).toBeUndefined();
    }
  });

  it("starts over when the 206's Content-Length disagrees with its Content-Range", async () => {
    const lying: Step = (res) => {
      res.writeHead(206, { "content-range": "bytes 500-999/1000", "content-length": 400, etag: ETAG });
      res.end(FILE.subarray(500, 900));
    };
    const host = await scriptedHost([wholeCutAt(500), lying, whole]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
    expect(host.requests).toHaveLength(3);
  });

  it("starts over when a 206 runs past the end its Content-Range announced", async () => {
    const overrun: Step = (res) => {
      res.writeHead(206, { "content-range": "bytes 500-899/1000", etag: ETAG }); // chunked: no length
      res.end(FILE.subarray(500, 1000));
    };
    const host = await scriptedHost([wholeCutAt(500), overrun, whole]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
    expect(host.requests[2]?.headers.range).toBeUndefined();
  });

  it("keeps nothing of an earlier attempt when the file starts over shorter", async () => {
    const shorter = randomBytes(300);
    const replaced: Step = (res) => {
      res.writeHead(200, { "content-length": shorter.length, "accept-ranges": "bytes", etag: '"v2"' });
      res.end(shorter);
    };
    const host = await scriptedHost([wholeCutAt(500), replaced]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(shorter);
  });

  it("asks for the rest when a correct 206 serves less than the rest", async () => {
    const host = await scriptedHost([wholeCutAt(500), partial(500, 699, 1000), partial(700, 999, 1000)]);

    const { bytes } = await download(host.url, { maxRetries: 0 });

    expect(bytes).toEqual(FILE);
    expect(host.requests.map((request) => request.headers.range)).toEqual([undefined, "bytes=500-", "bytes=700-"]);
  });

  it("starts over when the host answers 416 to the resume", async () => {
    const gone: Step = (res) => {
      res.writeHead(416, { "content-range": "bytes */400" });
      res.end();
    };
    const host = await scriptedHost([wholeCutAt(500), gone, whole]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
  });
});

describe("If-Range carries only a strong validator", () => {
  it("never sends a weak ETag; resumes on a Last-Modified a second or more before Date", async () => {
    const headers = { etag: 'W/"weak-1"', "last-modified": A_MINUTE_AGO };
    const host = await scriptedHost([wholeCutAt(500, headers), partial(500, 999, 1000, headers)]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
    expect(host.requests[1]?.headers.range).toBe("bytes=500-");
    expect(host.requests[1]?.headers["if-range"]).toBe(A_MINUTE_AGO);
  });

  it("starts over, without Range, when the only validator is a weak ETag", async () => {
    const host = await scriptedHost([wholeCutAt(500, { etag: 'W/"weak-1"' }), whole]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
    expect(host.requests[1]?.headers.range).toBeUndefined();
    expect(host.requests[1]?.headers["if-range"]).toBeUndefined();
  });

  it("starts over when the file was modified in the second the response was sent", async () => {
    // Date and Last-Modified in the same second: a change within that second would keep it.
    const now = new Date().toUTCString();
    const host = await scriptedHost([wholeCutAt(500, { "last-modified": now, date: now }), whole]);

    const { bytes } = await download(host.url);

    expect(bytes).toEqual(FILE);
    expect(host.requests[1]?.headers.range).toBeUndefined();
  });
});
