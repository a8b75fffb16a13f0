/**
 * Where a download goes: missing folders are made, a target that cannot be written is a
 * ValidationError before any request, names stay within what file systems accept, and a failed
 * download leaves nothing behind, not even the folders it made.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type CompletedJob, DownloadError, Pixazo, ValidationError } from "../../src/index.js";
import { SAMPLE_VIDEO } from "../../src/testing/index.js";
import { PROMPT, rawServer, rejectionOf, setup, TEST_KEY } from "../support/gateway.js";

const folder = () => mkdtemp(join(tmpdir(), "pixazo-targets-"));

async function completedJob() {
  const { gateway, client } = await setup();
  const job = await client.generate("ltx-2-3-text-to-video", PROMPT);
  return { gateway, client, job };
}

describe("the target of client.download", () => {
  it("creates missing folders, as the README's example needs", async () => {
    const { client, job } = await completedJob();
    const base = await folder();

    const result = await client.download(job, join(base, "out", "2026", "waves.mp4"));

    expect(result.path).toBe(join(base, "out", "2026", "waves.mp4"));
    expect(Buffer.compare(await readFile(result.path), Buffer.from(SAMPLE_VIDEO))).toBe(0);
  });

  it("removes the folders it made, and the partial file, when the download fails", async () => {
    const { gateway, client, job } = await completedJob();
    gateway.cdn.inject({ kind: "status", status: 404 });
    const base = await folder();

    const error = await rejectionOf(client.download(job, join(base, "out", "2026", "waves.mp4")));

    expect(error).toBeInstanceOf(DownloadError);
    expect(await readdir(base)).toEqual([]);
  });

  it.runIf(process.platform === "linux")(
    "refuses a folder the system will not create (under /proc) at once, before any request",
    async () => {
      const { gateway, client, job } = await completedJob();
      const before = gateway.cdn.requests.length;

      // Node's recursive mkdir never settles there: ENOENT for the folder, EEXIST for /proc, again and again.
      const error = (await rejectionOf(client.download(job, "/proc/pixazo-nope/deeper/x.mp4"))) as ValidationError;

      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues[0]?.message).toMatch(/cannot be created \(ENOENT\)/);
      expect(gateway.cdn.requests.length).toBe(before);
    },
  );

  it("keeps a folder that held other files before", async () => {
    const { gateway, client, job } = await completedJob();
    gateway.cdn.inject({ kind: "status", status: 404 });
    const base = await folder();
    await writeFile(join(base, "keep.txt"), "mine");

    await rejectionOf(client.download(job, join(base, "new", "waves.mp4")));

    expect(await readdir(base)).toEqual(["keep.txt"]);
  });

  it.each([
    [
      "a folder",
      async (base: string) => mkdir(join(base, "video.mp4")).then(() => join(base, "video.mp4")),
      "is a folder",
    ],
    [
      "under a file",
      async (base: string) => writeFile(join(base, "plain"), "x").then(() => join(base, "plain", "video.mp4")),
      "has a file, not a folder, on its path (ENOTDIR)",
    ],
    ["a name over 255 bytes", async (base: string) => join(base, `${"é".repeat(130)}.mp4`), "over 255"],
    ["in a folder nobody may write to", async () => "/sys/pixazo-ltx-video.mp4", "cannot write to (EACCES)"],
  ])("is refused before any request when it is %s", async (_case, make, expected) => {
    const { gateway, client, job } = await completedJob();
    const base = await folder();
    const target = await make(base);

    const error = (await rejectionOf(client.download(job, target))) as ValidationError;

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.path).toEqual(["filePath"]);
    expect(error.message).toContain(expected);
    expect(gateway.cdn.requests).toHaveLength(0);
  });
});

describe("a disk that refuses", () => {
  it("fails at once, without retrying, and leaves nothing behind", async () => {
    const body = Buffer.alloc(1024 * 1024, 7);
    const cdn = await rawServer((_req, res) => {
      res.writeHead(200, { "content-length": body.length, "accept-ranges": "bytes", etag: '"one"' });
      res.end(body);
    });
    const dir = await folder();
    // A process limited to 64 KiB files: writing past that fails with EFBIG, as a full disk
    // fails with ENOSPC.
    const script = fileURLToPath(new URL("../support/download-once.ts", import.meta.url));
    const { stdout: output } = await promisify(execFile)(
      "sh",
      [
        "-c",
        'ulimit -f 64 && exec "$0" --import tsx "$@"',
        process.execPath,
        script,
        `${cdn.url}/v.mp4`,
        join(dir, "v.mp4"),
      ],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)) },
    );

    const { error } = JSON.parse(output) as { error: { name: string; message: string; causeCode: string } };
    expect(error.name).toBe("DownloadError");
    expect(error.message).toMatch(/^Writing .*\.part failed \(EFBIG\)$/);
    expect(error.causeCode).toBe("EFBIG");
    expect(cdn.hits).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("media URLs and names", () => {
  it("refuses a media_url that is not http(s), before any request", async () => {
    const { gateway, client, job } = await completedJob();
    const broken: CompletedJob = { ...job, output: { ...job.output, media_url: ["not a url"] } } as CompletedJob;
    const dir = await folder();

    for (const run of [() => client.download(broken, join(dir, "v.mp4")), () => client.downloadAll(broken, dir)]) {
      const error = (await rejectionOf(run())) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues[0]?.path).toEqual(["source", "output", "media_url", 0]);
      expect(error.requestId).toBe(job.request_id);
    }
    const second = { ...job, output: { ...job.output, media_url: [job.output?.media_url[0], "ftp://x/y.mp4"] } };
    const error = (await rejectionOf(client.downloadAll(second as CompletedJob, dir))) as ValidationError;
    expect(error.issues[0]?.path).toEqual(["source", "output", "media_url", 1]);
    expect(gateway.cdn.requests).toHaveLength(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("shortens the file name of a very long request id", async () => {
    const cdn = await rawServer((_req, res) => {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": 4 });
      res.end("abcd");
    });
    const requestId = `ltx-2-3-text-to-video_${"x".repeat(300)}`;
    const otherId = `${requestId.slice(0, -1)}y`;
    const job = (id: string) =>
      ({
        request_id: id,
        status: "COMPLETED",
        output: { media_url: [`${cdn.url}/o.mp4`], media_type: "video/mp4" },
      }) as CompletedJob;
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: "http://127.0.0.1:9" });
    const dir = await folder();

    const [first] = await client.downloadAll(job(requestId), dir);
    const [second] = await client.downloadAll(job(otherId), dir);
    await client.close();

    expect(first?.path.startsWith(join(dir, requestId.slice(0, 120)))).toBe(true);
    expect(Buffer.byteLength(first?.path.slice(dir.length + 1) ?? "")).toBeLessThanOrEqual(255);
    expect(first?.path).toMatch(/-[0-9a-f]{16}\.mp4$/);
    expect(second?.path).not.toBe(first?.path);
    expect(await readdir(dir)).toHaveLength(2);
  });
});
