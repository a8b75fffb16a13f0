/**
 * The demo: generates a video end to end with LTX v2.3 text-to-video, showing each status change
 * and the download progress, saves it under ./out/ and prints the saved file's path last.
 * Without PIXAZO_API_KEY it runs against the built-in fake gateway, free; with it, against the
 * real gateway. Run it with `npm run demo`.
 */
import { join } from "node:path";
import type { DownloadProgress } from "pixazo-ltx";
import { exampleClient } from "./support/example-client.js";

// Replaced by the example client's once it exists: a bad PIXAZO_BASE_URL fails before that.
let close = async () => {};

function progressBar({ bytes, totalBytes }: DownloadProgress): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  if (!totalBytes) return `download   ${kb(bytes)}`;
  const filled = Math.round((bytes / totalBytes) * 30);
  return `download   [${"#".repeat(filled)}${"-".repeat(30 - filled)}] ${Math.floor((bytes / totalBytes) * 100)}% ${kb(bytes)} / ${kb(totalBytes)}`;
}

try {
  const example = await exampleClient({ queuedPolls: 1, processingPolls: 3 });
  const { client } = example;
  close = example.close;
  const started = Date.now();
  let previous = "";
  const job = await client.generate(
    "ltx-2-3-text-to-video",
    {
      prompt:
        "A paper boat drifting down a rain-soaked street at dusk, reflections of neon signs, 35mm, shallow depth of field",
      duration: 6,
      resolution: "1080p",
      aspect_ratio: "16:9",
      generate_audio: true,
    },
    {
      onSubmit: ({ request_id }) => console.error(`submitted  ${request_id}`),
      onStatus: ({ status }, { estimate }) => {
        const elapsed = `${((Date.now() - started) / 1000).toFixed(1)} s`;
        // On a terminal, how long is left (the SDK's estimate, see docs/polling.md), redrawn in place.
        const left = estimate ? ` · about ${Math.ceil(estimate.remainingMs / 1000)} s left` : "";
        if (process.stderr.isTTY) process.stderr.write(`\r\u001b[Kstatus     ${status}${left} (${elapsed})`);
        else if (status !== previous) console.error(`status     ${status} (${elapsed})`);
        previous = status;
      },
    },
  );

  if (process.stderr.isTTY) process.stderr.write("\n");
  let line = "";
  const [saved] = await client.downloadAll(job, join(process.cwd(), "out"), {
    onProgress: (progress) => {
      line = progressBar(progress);
      if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    },
  });
  process.stderr.write(process.stderr.isTTY ? "\n" : `${line}\n`);
  console.log(saved?.path);
} catch (error) {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await close();
}
