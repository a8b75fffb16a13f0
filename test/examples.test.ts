import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

// Every runnable example; the quickstart reads its gateway from the environment and has its own test.
const examples = readdirSync(`${root}/examples`)
  .filter((name) => name.endsWith(".ts") && name !== "quickstart.ts")
  .sort();

describe("examples, run as a user would against the fake gateway", () => {
  it("include one per model, the low-level flow, the webhook server and the demo", () => {
    expect(examples).toEqual([
      "demo.ts",
      "lightricks-video.ts",
      "ltx-2-19b-api-513.ts",
      "ltx-2-3-audio-to-video.ts",
      "ltx-2-3-image-to-video.ts",
      "ltx-2-3-retake-video.ts",
      "ltx-2-3-text-to-video.ts",
      "ltx-2-video-api-581.ts",
      "submit-status-wait.ts",
      "webhook-server.ts",
    ]);
  });

  it.concurrent.each(examples.filter((name) => name !== "demo.ts"))("%s prints the finished video's URL", async (name) => {
    const env = { ...process.env };
    delete env.PIXAZO_API_KEY;
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", `examples/${name}`], { cwd: root, env, timeout: 60_000 });

    const model = name.startsWith("ltx-") || name.startsWith("lightricks-") ? name.replace(/\.ts$/, "") : "ltx-2-3-text-to-video";
    expect(stdout.trim()).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/v1/${model}_[0-9a-f-]+/output\\.mp4$`));
    expect(stderr).toContain("fake gateway");
    expect(stderr).toContain(name === "webhook-server.ts" ? "callback" : "status");
    expect(stderr).toContain("COMPLETED");
  }, 60_000);
});
