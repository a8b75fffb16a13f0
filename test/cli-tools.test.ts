/** `pixazo-ltx models`, `--help` and `fake-gateway` as subprocesses. */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, inShell } from "./support/cli-process.js";
import { until } from "./support/gateway.js";

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
