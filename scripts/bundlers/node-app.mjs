// A small Node app as users bundle it: a generate against the fake gateway and a download.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pixazo } from "pixazo-ltx";
import { startFakeGateway } from "pixazo-ltx/testing";

export async function run() {
  const gateway = await startFakeGateway();
  const client = new Pixazo({ apiKey: "bundle-key", baseUrl: gateway.url, pollIntervalMs: 50 });
  const dir = await mkdtemp(join(tmpdir(), "pixazo-bundler-"));
  try {
    const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A fox in the snow" });
    const file = await client.download(job, join(dir, "video.mp4"));
    if ((await stat(file.path)).size !== file.bytes) throw new Error("downloaded size mismatch");
    return { status: job.status, bytes: file.bytes };
  } finally {
    await client.close();
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  }
}
