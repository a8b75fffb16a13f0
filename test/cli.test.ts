/** `pixazo-ltx generate` as a subprocess, the way a user runs it. */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { documentedErrors, SAMPLE_VIDEO, startFakeGateway } from "../src/testing/index.js";
import { cli, gatewayEnv } from "./support/cli-process.js";
import { setup, TEST_KEY, until } from "./support/gateway.js";

describe("pixazo-ltx generate", () => {
  it("validates, submits, shows progress, saves the video and prints its path", async () => {
    const { gateway, env } = await gatewayEnv();
    const out = join(await mkdtemp(join(tmpdir(), "pixazo-cli-")), "fox.mp4");

    const run = await cli(
      [
        "generate",
        "ltx-2-3-text-to-video",
        "--prompt",
        "A fox in the snow",
        "--duration",
        "8",
        "--generate-audio",
        "false",
        "--aspect_ratio=9:16",
        "--out",
        out,
      ],
      env,
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${out}\n`);
    expect(Buffer.compare(await readFile(out), Buffer.from(SAMPLE_VIDEO))).toBe(0);
    expect(gateway.requestsOf("submit")[0]?.body).toEqual({
      prompt: "A fox in the snow",
      duration: 8,
      generate_audio: false,
      aspect_ratio: "9:16",
    });
    expect(run.stderr).toMatch(/submitted {2}ltx-2-3-text-to-video_/);
    expect(run.stderr).toContain("status     COMPLETED");
    expect(run.stderr).toContain(`download  started (${(SAMPLE_VIDEO.length / 1024).toFixed(1)} KB)`);
  }, 30_000);

  it("with its defaults, learns of a 2-second job on a fake gateway at its second read, a second after", async () => {
    const { gateway } = await setup({}, { job: { durationMs: 2_000 } });
    const env = { PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: gateway.url };
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-"));

    const run = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "Waves", "--out", `${dir}/`], env);

    expect(run.code).toBe(0);
    // Reads at about 1 s and 3 s: no prior is assumed of a gateway that is not Pixazo's.
    expect(gateway.requestsOf("status")).toHaveLength(2);
  }, 30_000);

  it("prints the completed status object with --json", async () => {
    const { env } = await gatewayEnv();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-"));

    const run = await cli(["generate", "lightricks-video", "--prompt", "Clouds", "--out", `${dir}/`, "--json"], env);

    expect(run.code).toBe(0);
    const job = JSON.parse(run.stdout) as { status: string; request_id: string };
    expect(job.status).toBe("COMPLETED");
    expect((await readFile(join(dir, `${job.request_id}.mp4`))).length).toBe(SAMPLE_VIDEO.length);
  }, 30_000);

  it("refuses bad input with the field, the value and what is allowed, and exit code 2, sending nothing", async () => {
    const { gateway, env } = await gatewayEnv();

    const run = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "x", "--duration", "7"], env);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("duration: is not one of the allowed values (received 7); allowed: 6, 8, 10");
    expect(gateway.requests).toHaveLength(0);
  }, 30_000);

  it("exits 1 when the job fails", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.nextJob({ queuedPolls: 0, processingPolls: 0, outcome: "FAILED", error: "content policy" });

    const run = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "x"], env);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("content policy");
  }, 30_000);

  it("with --json prints the failed job's status object on stdout, then exits 1", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.nextJob({ queuedPolls: 0, processingPolls: 0, outcome: "FAILED", error: "content policy" });

    const run = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "x", "--json"], env);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "FAILED", error: "content policy" });
    expect(run.stderr).toContain("content policy");
  }, 30_000);

  it("exits 3 on an API error", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.inject({ on: "submit", fault: documentedErrors.insufficientBalance });

    const run = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "x"], env);

    expect(run.code).toBe(3);
    expect(run.stderr).toContain("402 Insufficient Balance");
  }, 30_000);

  it("exits 2 without an API key, naming the variable", async () => {
    const run = await cli(["status", "job_1"], {});

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("PIXAZO_API_KEY");
  }, 30_000);

  it("stops cleanly on Ctrl-C with exit code 130, and polls no more", async () => {
    const gateway = await startFakeGateway({ job: { statuses: ["QUEUED", "PROCESSING"] } });
    try {
      const run = await cli(
        ["generate", "ltx-2-3-text-to-video", "--prompt", "x"],
        { PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: gateway.url },
        (child, output) => {
          void until(() => output.stderr.includes("status     QUEUED")).then(() => child.kill("SIGINT"));
        },
      );
      const reads = gateway.requestsOf("status").length;

      expect(run.code).toBe(130);
      expect(run.stderr).toContain("interrupted");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(gateway.requestsOf("status")).toHaveLength(reads);
    } finally {
      await gateway.close();
    }
  }, 30_000);
});
