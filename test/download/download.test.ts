import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CompletedJob, DownloadError, type DownloadProgress, Pixazo, ValidationError } from "../../src/index.js";
import { SAMPLE_VIDEO } from "../../src/testing/index.js";
import { PROMPT, rawServer, rejectionOf, setup, TEST_KEY, until } from "../support/gateway.js";

const folder = () => mkdtemp(join(tmpdir(), "pixazo-download-"));

async function completedJob(options: Parameters<typeof setup>[1] = {}) {
  const { gateway, client } = await setup({}, options);
  const job = await client.generate("ltx-2-3-text-to-video", PROMPT);
  return { gateway, client, job };
}

describe("client.download", () => {
  it("writes the job's video to disk, without the API key on the media request", async () => {
    const { gateway, client, job } = await completedJob();
    const dir = await folder();

    const result = await client.download(job, join(dir, "video.mp4"));

    expect(result).toEqual({ path: join(dir, "video.mp4"), bytes: SAMPLE_VIDEO.length, contentType: "video/mp4" });
    const written = await readFile(result.path);
    expect(Buffer.compare(written, Buffer.from(SAMPLE_VIDEO))).toBe(0);
    expect(written.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(await readdir(dir)).toEqual(["video.mp4"]);
    expect(gateway.cdn.requests).toHaveLength(1);
    expect(gateway.cdn.requests[0]?.headers["ocp-apim-subscription-key"]).toBeUndefined();
    expect(JSON.stringify(gateway.cdn.requests)).not.toContain(TEST_KEY);
  });

  it("finishes, in one request, when the onProgress callback throws", async () => {
    const { gateway, client, job } = await completedJob();
    const dir = await folder();

    const result = await client.download(job, join(dir, "video.mp4"), {
      onProgress: () => {
        throw new Error("progress bar crashed");
      },
    });

    expect(Buffer.compare(await readFile(result.path), Buffer.from(SAMPLE_VIDEO))).toBe(0);
    expect(gateway.cdn.requests).toHaveLength(1);
  });

  it("reports progress up to the announced size", async () => {
    const media = randomBytes(300 * 1024);
    const { client, job } = await completedJob({ media });
    const progress: DownloadProgress[] = [];

    await client.download(job, join(await folder(), "v.mp4"), { onProgress: (p) => void progress.push(p) });

    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p, i) => i === 0 || p.bytes > (progress[i - 1]?.bytes ?? 0))).toBe(true);
    expect(progress.at(-1)).toEqual({ bytes: media.length, totalBytes: media.length });
  });

  it("streams a multi-megabyte body to disk as it arrives, never holding it whole", async () => {
    const half = 4 * 1024 * 1024;
    const body = randomBytes(2 * half);
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const cdn = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": body.length });
      res.write(body.subarray(0, half));
      void released.then(() => res.end(body.subarray(half)));
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: "http://127.0.0.1:9" });
    const dir = await folder();

    const download = client.download(`${cdn.url}/v1/big/output.mp4`, join(dir, "big.mp4"));
    // While the server holds back the second half, the first half is already on disk.
    await until(() => partialSize(dir) >= half);
    release();
    const result = await download;

    expect(result.bytes).toBe(body.length);
    expect(Buffer.compare(await readFile(result.path), body)).toBe(0);
    await client.close();
  });

  it("resumes a dropped connection with a Range request", async () => {
    const { gateway, client, job } = await completedJob();
    gateway.cdn.inject({ kind: "drop", afterBytes: 10_000 });

    const result = await client.download(job, join(await folder(), "v.mp4"));

    expect(Buffer.compare(await readFile(result.path), Buffer.from(SAMPLE_VIDEO))).toBe(0);
    expect(gateway.cdn.requests).toHaveLength(2);
    expect(gateway.cdn.requests[1]?.headers.range).toBe("bytes=10000-");
    expect(gateway.cdn.requests[1]?.headers["if-range"]).toMatch(/^".+"$/);
  });

  it("restarts from zero when the host does not support ranges", async () => {
    const { gateway, client, job } = await completedJob();
    gateway.cdn.inject({ kind: "drop", afterBytes: 10_000, advertiseRanges: false });

    const result = await client.download(job, join(await folder(), "v.mp4"));

    expect(Buffer.compare(await readFile(result.path), Buffer.from(SAMPLE_VIDEO))).toBe(0);
    expect(gateway.cdn.requests).toHaveLength(2);
    expect(gateway.cdn.requests[1]?.headers.range).toBeUndefined();
  });

  it("restarts when the host ignores the Range it advertised", async () => {
    const { gateway, client, job } = await completedJob();
    gateway.cdn.inject({ kind: "drop", afterBytes: 10_000 });
    gateway.cdn.inject({ kind: "no-range" });

    const result = await client.download(job, join(await folder(), "v.mp4"));

    expect(gateway.cdn.requests[1]?.headers.range).toBe("bytes=10000-");
    expect(Buffer.compare(await readFile(result.path), Buffer.from(SAMPLE_VIDEO))).toBe(0);
  });

  it("never leaves a file when the body stays shorter than its Content-Length", async () => {
    const { gateway, client, job } = await completedJob();
    gateway.cdn.inject({ kind: "short-body", contentLength: SAMPLE_VIDEO.length + 500 }, 10);
    const dir = await folder();

    const error = (await rejectionOf(client.download(job, join(dir, "v.mp4")))) as DownloadError;

    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain(`at ${SAMPLE_VIDEO.length} of ${SAMPLE_VIDEO.length + 500} bytes`);
    expect(error.requestId).toBe(job.request_id);
    // The first attempt brought bytes to disk; the next three brought nothing new (maxRetries 2).
    expect(gateway.cdn.requests).toHaveLength(4);
    expect(await readdir(dir)).toEqual([]);
  });

  it("removes the partial file when aborted mid-download", async () => {
    let sent: () => void = () => {};
    const halfway = new Promise<void>((resolve) => (sent = resolve));
    const cdn = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": 2_000_000 });
      res.write(Buffer.alloc(1_000_000), () => sent());
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: "http://127.0.0.1:9" });
    const dir = await folder();
    const controller = new AbortController();

    const pending = rejectionOf(client.download(`${cdn.url}/x.mp4`, join(dir, "x.mp4"), { signal: controller.signal }));
    await halfway;
    await until(() => partialSize(dir) > 0);
    controller.abort("user cancelled");

    expect(await pending).toBe("user cancelled");
    expect(await readdir(dir)).toEqual([]);
    await client.close();
  });

  it("does not retry a refusal such as 404, and retries a 503", async () => {
    const { gateway, client, job } = await completedJob();
    gateway.cdn.inject({ kind: "status", status: 404 });
    const dir = await folder();

    const error = (await rejectionOf(client.download(job, join(dir, "v.mp4")))) as DownloadError;
    expect(error.status).toBe(404);
    expect(gateway.cdn.requests).toHaveLength(1);

    gateway.cdn.inject({ kind: "status", status: 503 });
    await client.download(job, join(dir, "v.mp4"));
    expect(gateway.cdn.requests).toHaveLength(3);
  });

  it("follows a CDN redirect, still without the key", async () => {
    const { gateway, client, job } = await completedJob();
    const redirector = await rawServer((req, res) => {
      res.writeHead(302, { location: `${gateway.cdn.url}${req.url}` });
      res.end();
    });
    const url = (job.output?.media_url[0] ?? "").replace(gateway.cdn.url, redirector.url);

    const result = await client.download(url, join(await folder(), "v.mp4"));

    expect(result.bytes).toBe(SAMPLE_VIDEO.length);
    expect(redirector.hits[0]?.headers["ocp-apim-subscription-key"]).toBeUndefined();
    expect(gateway.cdn.requests[0]?.headers["ocp-apim-subscription-key"]).toBeUndefined();
  });

  it("works through the fetch option, resuming too", async () => {
    const { gateway, job } = await completedJob();
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, fetch: (url, init) => fetch(url, init) });
    gateway.cdn.inject({ kind: "drop", afterBytes: 5_000 });

    const result = await client.download(job, join(await folder(), "v.mp4"));

    expect(Buffer.compare(await readFile(result.path), Buffer.from(SAMPLE_VIDEO))).toBe(0);
    expect(gateway.cdn.requests[1]?.headers.range).toBe("bytes=5000-");
    expect(gateway.cdn.requests.every((r) => r.headers["ocp-apim-subscription-key"] === undefined)).toBe(true);
  });

  it("refuses, before any request, a job without media, a bad index or a bad URL", async () => {
    const { gateway, client, job } = await completedJob();
    const dir = await folder();
    const processing = { ...job, status: "PROCESSING", output: null };

    for (const [source, index] of [
      [processing, 0],
      [job, 1],
      [job, -1],
      ["not a url", 0],
      ["file:///etc/passwd", 0],
    ] as const) {
      const error = await rejectionOf(client.download(source as CompletedJob, join(dir, "v.mp4"), { index }));
      expect(error).toBeInstanceOf(ValidationError);
    }
    expect(gateway.cdn.requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("client.downloadAll", () => {
  it("saves every media URL, named from the request id and media type", async () => {
    const { client, job } = await completedJob();
    const url = job.output?.media_url[0] ?? "";
    const two: CompletedJob = { ...job, output: { media_url: [url, url], media_type: "video/mp4" } };
    const dir = join(await folder(), "nested", "out");

    const results = await client.downloadAll(two, dir);

    expect(results.map((r) => r.path)).toEqual([
      join(dir, `${job.request_id}-1.mp4`),
      join(dir, `${job.request_id}-2.mp4`),
    ]);
    expect((await stat(results[1]?.path ?? "")).size).toBe(SAMPLE_VIDEO.length);
    expect((await client.downloadAll(job, dir)).map((r) => r.path)).toEqual([join(dir, `${job.request_id}.mp4`)]);
  });
});

/** Size of the temporary file of a download in progress in `dir`, 0 if none yet. */
function partialSize(dir: string): number {
  const part = readdirSync(dir).find((name) => name.endsWith(".part"));
  return part ? statSync(join(dir, part)).size : 0;
}
