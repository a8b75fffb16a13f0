// A small app as users bundle it with esbuild (ESM and CJS, platform node, minified): a generate
// against the fake gateway, a download, and a refused input whose error keeps its name.
// Prints one JSON line; exits non-zero on any failure.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pixazo, ValidationError } from "../../dist/index.js";
import { startFakeGateway } from "../../dist/testing.js";

// No top-level await: the same source is bundled as CommonJS too.
async function main() {
  const gateway = await startFakeGateway();
  const client = new Pixazo({ apiKey: "bundle-smoke-key", baseUrl: gateway.url, pollIntervalMs: 50 });
  const dir = await mkdtemp(join(tmpdir(), "pixazo-bundle-"));
  try {
    const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A fox in the snow" });
    const file = await client.download(job, join(dir, "video.mp4"));
    if ((await stat(file.path)).size !== file.bytes) throw new Error("downloaded size mismatch");
    let name = "";
    try {
      await client.submit("ltx-2-3-text-to-video", { prompt: "" });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      name = error.name;
    }
    if (name !== "ValidationError") throw new Error(`error name after bundling: ${JSON.stringify(name)}`);
    console.log(JSON.stringify({ ok: true, status: job.status, bytes: file.bytes, errorName: name }));
  } finally {
    await client.close();
    await gateway.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
