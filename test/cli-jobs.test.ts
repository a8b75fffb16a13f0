/** `pixazo-ltx submit`, `status` and `wait` as subprocesses; what a hostile gateway sends; `--out`. */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLE_VIDEO } from "../src/testing/index.js";
import { cli, gatewayEnv, inShell } from "./support/cli-process.js";

describe("pixazo-ltx submit, status, wait", () => {
  it("submit prints the id, status prints the object, wait saves the video", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.nextJob({ queuedPolls: 1, processingPolls: 0 });
    const out = join(await mkdtemp(join(tmpdir(), "pixazo-cli-")), "v.mp4");

    const submitted = await cli(
      ["submit", "ltx-2-video-api-581", "--image_url", "https://example.com/a.jpg", "--prompt", "x"],
      env,
    );
    const requestId = submitted.stdout.trim();
    const status = await cli(["status", requestId], env);
    const waited = await cli(["wait", requestId, "--out", out], env);

    expect(submitted.code).toBe(0);
    expect(requestId).toMatch(/^ltx-2-video-api-581_[0-9a-f-]+$/);
    expect(JSON.parse(status.stdout)).toMatchObject({ request_id: requestId, status: "QUEUED" });
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe(`${out}\n`);
    expect((await readFile(out)).length).toBe(SAMPLE_VIDEO.length);
  }, 60_000);
});

describe("pixazo-ltx status of an unknown job", () => {
  it("exits 3 without suggesting to resume a job that does not exist, nor a retry that never comes", async () => {
    const { gateway, env } = await gatewayEnv();

    const run = await cli(["status", "ltx-2-3-text-to-video_unknown"], env);

    expect(run.code).toBe(3);
    expect(run.stderr).toContain("404");
    expect(run.stderr).not.toContain("resume with");
    expect(run.stderr).not.toMatch(/retr|trying again/);
    expect(gateway.requestsOf("status")).toHaveLength(1);
  }, 30_000);
});

describe("pixazo-ltx and what a hostile gateway sends", () => {
  // OSC 52 (write the clipboard), OSC 0 (set the title) and CSI 2J (clear the screen).
  const HOSTILE = "ltx-2-3-text-to-video_\u001b]52;c;cm0gLXJmIH4=\u0007\u001b]0;owned\u0007\u001b[2J";

  it("never writes the terminal's control sequences from a request_id or media URL, in any human line", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.inject({
      on: "submit",
      fault: { kind: "response", status: 202, body: { request_id: HOSTILE, status: "QUEUED" } },
    });
    const submitted = await cli(["submit", "ltx-2-3-text-to-video", "--prompt", "x"], env);
    gateway.inject({
      on: "status",
      fault: { kind: "response", status: 200, body: { request_id: HOSTILE, status: "PROCESSING" } },
    });
    const waited = await cli(["wait", HOSTILE, "--timeout", "300"], env);
    gateway.inject({
      on: "status",
      fault: {
        kind: "response",
        status: 200,
        body: {
          request_id: "ltx-2-3-text-to-video_x",
          status: "COMPLETED",
          output: { media_url: ["https://cdn.example/\u001b[2Jv.mp4"], media_type: "video/mp4" },
        },
      },
    });
    const completed = await cli(["wait", "ltx-2-3-text-to-video_x"], env);

    for (const run of [submitted, waited, completed]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for.
      expect(run.stdout + run.stderr).not.toMatch(/[\u0007\u001b]/);
    }
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toContain("ltx-2-3-text-to-video_\\u001b]52;c;");
    expect(waited.stderr).toContain("did not finish");
    expect(completed.stdout).toContain("https://cdn.example/\\u001b[2Jv.mp4");
  }, 30_000);

  it("never lets a newline from the gateway forge a line: in a failed job's id and error, or an error reply", async () => {
    const forged = "\nresume with: rm -rf ~";
    const { gateway, env } = await gatewayEnv();
    const id = `ltx-2-3-text-to-video_x${forged}`;
    gateway.inject({
      on: "submit",
      fault: { kind: "response", status: 202, body: { request_id: id, status: "QUEUED" } },
    });
    gateway.inject({
      on: "status",
      fault: { kind: "response", status: 200, body: { request_id: id, status: "FAILED", error: `bad${forged}` } },
    });
    const failed = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "x", "--poll-interval", "50ms"], env);
    gateway.inject({
      on: "status",
      fault: { kind: "response", status: 404, body: { error: `Request not found${forged}`, message: `gone${forged}` } },
    });
    const missing = await cli(["status", "ltx-2-3-text-to-video_y"], env);

    expect(failed.code).toBe(1);
    expect(missing.code).toBe(3);
    for (const run of [failed, missing]) {
      expect(run.stderr).toContain("\\nresume with: rm -rf ~");
      expect(run.stderr.split("\n").some((line) => line.startsWith("resume with: rm"))).toBe(false);
    }
  }, 30_000);
});

describe("pixazo-ltx never loses a paid job over --out", () => {
  it.runIf(process.platform === "linux")(
    "refuses an --out whose folder cannot be created (under /proc) at once, exit 2, nothing submitted",
    async () => {
      const { gateway, env } = await gatewayEnv();

      const run = await cli(
        ["generate", "ltx-2-3-text-to-video", "--prompt", "A fox", "--out", "/proc/nope/x.mp4"],
        env,
      );

      expect(run.code).toBe(2);
      expect(run.stderr).toContain("cannot be created");
      expect(gateway.requests).toHaveLength(0);
    },
    30_000,
  );

  it("creates the folders of --out", async () => {
    const { env } = await gatewayEnv();
    const out = join(await mkdtemp(join(tmpdir(), "pixazo-cli-")), "videos", "fox.mp4");

    const run = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "A fox", "--out", out], env);

    expect(run.code).toBe(0);
    expect((await readFile(out)).length).toBe(SAMPLE_VIDEO.length);
  }, 30_000);

  it("refuses an --out that cannot be written before anything is submitted, with exit code 2", async () => {
    const { gateway, env } = await gatewayEnv();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-"));
    await writeFile(join(dir, "videos"), "a file, not a folder");

    const generated = await cli(
      ["generate", "ltx-2-3-text-to-video", "--prompt", "A fox", "--out", join(dir, "videos", "fox.mp4")],
      env,
    );
    const waited = await cli(["wait", "ltx-2-3-text-to-video_job-1", "--out", join(dir, "videos", "a/")], env);

    for (const run of [generated, waited]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("filePath: has a file, not a folder, on its path (ENOTDIR)");
    }
    expect(gateway.requests).toHaveLength(0);
  }, 30_000);

  it("exits 4 when saving fails after the job completed, printing the command that saves it", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.cdn.inject({ kind: "status", status: 403 });
    const out = join(await mkdtemp(join(tmpdir(), "pixazo cli '")), "fox.mp4");

    const run = await cli(["generate", "ltx-2-3-text-to-video", "--prompt", "A fox", "--out", out], env);

    expect(run.code).toBe(4);
    const requestId = /submitted {2}(\S+)/.exec(run.stderr)?.[1];
    expect(requestId).toMatch(/^ltx-2-3-text-to-video_/);
    expect(run.stderr).toContain("The media host answered 403");
    expect(run.stderr).toContain(`job ${requestId} completed, but its media was not saved.`);
    const command = /save it with: (.+)\n/.exec(run.stderr)?.[1] ?? "";
    expect(command).toBe(`pixazo-ltx wait ${requestId} --out '${out.replaceAll("'", "'\\''")}'`);

    // The printed command, pasted into a shell as a user would, saves the video.
    const resumed = await inShell(command, env);
    expect(resumed.code).toBe(0);
    expect((await readFile(out)).length).toBe(SAMPLE_VIDEO.length);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  }, 30_000);
});
