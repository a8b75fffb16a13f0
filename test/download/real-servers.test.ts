/**
 * Downloads from real static file servers through a proxy that cuts connections: every run ends
 * with the file byte for byte as the host serves it, or in a DownloadError with no file. Never a
 * short file, never one spliced from two versions.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Pixazo } from "../../src/index.js";
import { startFaultProxy } from "../support/fault-proxy.js";
import { type FileServer, startExpressStatic, startHttpServer, startServe } from "../support/file-servers.js";
import { TEST_KEY } from "../support/gateway.js";

const SIZE = 3 * 1024 * 1024;
const CUT_AT = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const SERVERS: [string, (root: string) => Promise<FileServer>][] = [
  ["http-server", startHttpServer],
  ["serve", startServe],
  ["express.static", startExpressStatic],
];
const PATHS = [
  ["undici", {}],
  ["fetch", { fetch: globalThis.fetch }],
] as const;

/** A folder served by the server, holding `video.mp4` last modified a minute ago. */
async function hostedFile(start: (root: string) => Promise<FileServer>) {
  const root = await mkdtemp(join(tmpdir(), "pixazo-host-"));
  const original = randomBytes(SIZE);
  const file = join(root, "video.mp4");
  await writeFile(file, original);
  const aMinuteAgo = new Date(Date.now() - 60_000);
  await utimes(file, aMinuteAgo, aMinuteAgo);
  return { server: await start(root), file, original };
}

function clientFor(path: (typeof PATHS)[number][1]) {
  return new Pixazo({ apiKey: TEST_KEY, baseUrl: "http://127.0.0.1:9", ...path });
}

describe.each(SERVERS)("downloads from %s", (_name, start) => {
  it.each(PATHS)("resume a cut connection where it stopped, byte for byte (%s)", async (_path, transport) => {
    const { server, original } = await hostedFile(start);
    const proxy = await startFaultProxy(server.url, [{ cutAfterBytes: CUT_AT }]);
    const dir = await mkdtemp(join(tmpdir(), "pixazo-download-"));
    const client = clientFor(transport);

    const result = await client.download(`${proxy.url}/video.mp4`, join(dir, "video.mp4"));
    await client.close();

    expect(sha256(await readFile(result.path))).toBe(sha256(original));
    expect(result.bytes).toBe(SIZE);
    expect(await readdir(dir)).toEqual(["video.mp4"]);
    expect(proxy.requests).toHaveLength(2);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(proxy.requests[1]?.headers.range ?? "")?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(CUT_AT);
    expect(proxy.requests[1]?.headers["if-range"]).toBeDefined();
    expect(proxy.requests[1]?.headers["if-range"]).not.toMatch(/^W\//);
    // fetch adds its own "identity" beside a Range: "identity, identity" says the same.
    const encodings = proxy.requests.map((request) => request.headers["accept-encoding"]?.split(/\s*,\s*/));
    expect(encodings.flat().every((coding) => coding === "identity")).toBe(true);
  });

  it.each(PATHS)("never splice two versions of a file replaced between attempts (%s)", async (_path, transport) => {
    const { server, file, original } = await hostedFile(start);
    const replacement = randomBytes(SIZE); // Same size: the length alone cannot tell them apart.
    const proxy = await startFaultProxy(server.url, [
      { cutAfterBytes: CUT_AT, afterCut: () => writeFile(file, replacement) },
    ]);
    const dir = await mkdtemp(join(tmpdir(), "pixazo-download-"));
    const client = clientFor(transport);

    const result = await client.download(`${proxy.url}/video.mp4`, join(dir, "video.mp4"));
    await client.close();

    const written = sha256(await readFile(result.path));
    expect(written).not.toBe(sha256(original));
    expect(written).toBe(sha256(replacement));
    expect(await readdir(dir)).toEqual(["video.mp4"]);
  });
});
