import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

// Every runnable example; the quickstart reads its gateway from the environment and has its own test.
const examples = readdirSync(`${root}/examples`)
  .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts") && name !== "quickstart.ts")
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

  it.concurrent.each(examples.filter((name) => name !== "demo.ts"))(
    "%s prints the finished video's URL",
    async (name) => {
      const env = { ...process.env };
      delete env.PIXAZO_API_KEY;
      const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", `examples/${name}`], {
        cwd: root,
        env,
        timeout: 60_000,
      });

      const model =
        name.startsWith("ltx-") || name.startsWith("lightricks-") ? name.replace(/\.ts$/, "") : "ltx-2-3-text-to-video";
      // As the reference's status examples show: output.mp4 for LTX v2.3 text and image to video,
      // the generic output.ext for the other models.
      const file = ["ltx-2-3-text-to-video", "ltx-2-3-image-to-video"].includes(model) ? "mp4" : "ext";
      expect(stdout.trim()).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:\\d+/v1/${model}_[0-9a-f-]+/output\\.${file}$`),
      );
      expect(stderr).toContain("fake gateway");
      expect(stderr).toContain(name === "webhook-server.ts" ? "callback" : "status");
      expect(stderr).toContain("COMPLETED");
    },
    60_000,
  );

  it("the demo saves the video under ./out and prints its path last", async () => {
    const env = { ...process.env };
    delete env.PIXAZO_API_KEY;
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "examples/demo.ts"], {
      cwd: root,
      env,
      timeout: 60_000,
    });

    const saved = stdout.trim().split("\n").at(-1) ?? "";
    expect(saved).toMatch(new RegExp(`^${root.replace(/\/$/, "")}/out/ltx-2-3-text-to-video_[0-9a-f-]+\\.mp4$`));
    expect((await readFile(saved)).subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(stderr).toMatch(/status {5}QUEUED[\s\S]*status {5}PROCESSING[\s\S]*status {5}COMPLETED/);
    expect(stderr).toContain("100%");
    await rm(saved);
  }, 60_000);
});
