import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { documentedErrors, SAMPLE_VIDEO, startFakeGateway } from "../src/testing/index.js";
import { setup, TEST_KEY, until } from "./support/gateway.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratchCache = mkdtempSync(join(tmpdir(), "pixazo-cli-cache-"));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command as a subprocess, the way a user runs it, with its default options. */
function cli(
  commandLine: string[],
  env: Record<string, string>,
  onStart?: (child: ChildProcess, output: { stderr: string }) => void,
): Promise<Run> {
  const args = commandLine;
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    delete base.PIXAZO_API_KEY;
    delete base.PIXAZO_BASE_URL;
    // Learned run times go to a scratch cache, not the user's.
    base.XDG_CACHE_HOME = scratchCache;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], {
      cwd: root,
      env: { ...base, ...env },
    });
    const output = { stdout: "", stderr: "" };
    child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, ...output }));
    onStart?.(child, output);
  });
}

/** Runs a command line through `sh`, with `pixazo-ltx` on the PATH as an installed package has it. */
async function inShell(commandLine: string, env: Record<string, string>): Promise<Run> {
  const bin = await mkdtemp(join(tmpdir(), "pixazo-bin-"));
  const shim = join(bin, "pixazo-ltx");
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(root, "src/cli/bin.ts")}" "$@"\n`);
  await chmod(shim, 0o755);
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", commandLine], {
      cwd: root,
      env: { ...process.env, XDG_CACHE_HOME: scratchCache, ...env, PATH: `${bin}:${process.env.PATH}` },
    });
    const output = { stdout: "", stderr: "" };
    child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, ...output }));
  });
}

async function gatewayEnv() {
  // Jobs finish at the first status read: the command polls with the SDK's real defaults (~1 s).
  const { gateway } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
  return { gateway, env: { PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: gateway.url } };
}

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

describe("pixazo-ltx models and help", () => {
  it("lists every model with its required inputs and allowed values", async () => {
    const run = await cli(["models"], {});

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ltx-2-3-text-to-video  (client.ltx23.textToVideo)");
    expect(run.stdout).toMatch(/--duration +optional {2}number {2}6 \| 8 \| 10/);
    expect(run.stdout).toMatch(
      /--retake_mode +required {2}string {2}"replace_audio_and_video" \| "replace_video_only"/,
    );
    expect(run.stdout).toContain("ltx-2-video-api-581");
  }, 30_000);

  it("answers --help for every command, and a usage error with code 2", async () => {
    for (const command of ["generate", "submit", "status", "wait", "models"]) {
      const run = await cli([command, "--help"], {});
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`pixazo-ltx ${command}`);
    }
    const unknown = await cli(["render"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "render"');
  }, 60_000);
});

describe("pixazo-ltx fake-gateway", () => {
  it("serves the fake until Ctrl-C, prints the lines to use, and the README's generate runs against it", async () => {
    let url: string | undefined;
    let child: ChildProcess | undefined;
    const served = cli(["fake-gateway", "--port", "0"], {}, (started, output) => {
      child = started;
      started.stdout?.on("data", () => {
        url ??= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec((output as { stdout?: string }).stdout ?? "")?.[1];
      });
    });
    await until(() => url !== undefined);
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-fake-"));

    const generated = await inShell(
      `pixazo-ltx generate ltx-2-3-text-to-video --prompt "A lighthouse in a storm" --out ${dir}/`,
      { PIXAZO_BASE_URL: url ?? "", PIXAZO_API_KEY: "any-key" },
    );
    child?.kill("SIGINT");
    const stopped = await served;

    expect(generated.code).toBe(0);
    expect((await readFile(generated.stdout.trim())).subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`export PIXAZO_BASE_URL=${url} PIXAZO_API_KEY=any-key`);
    expect(stopped.stderr).toContain("fake gateway stopped");
  }, 60_000);

  it("refuses a port that is not one", async () => {
    const result = await cli(["fake-gateway", "--port", "70000"], {});

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--port takes a port number from 0 to 65535");
  });
});
