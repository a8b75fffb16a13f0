/**
 * The command line as people meet it: typos refused, messages in the command's own words, no
 * long silences on a terminal, gateway text that cannot drive the terminal. Most cases run the
 * command in-process through `runCli` (with a terminal or not, as the case needs); Ctrl-C runs it
 * as a real process.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "../src/cli/main.js";
import { runInProcess } from "./support/cli-process.js";
import { setup, TEST_KEY, until } from "./support/gateway.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The terminal control characters in `text` (ESC, BEL, CSI), other than the CLI's own line redraws. */
function controlCharactersIn(text: string): string[] {
  return [...text.replaceAll("\r\u001b[K", "")].filter((character) =>
    ["\u001b", "\u0007", "\u009b"].includes(character),
  );
}

/** The fake's jobs move a step a read; a 100 ms base interval keeps these tests short. */
const FAKE_PACE = ["--poll-interval", "100ms"];

async function gatewayEnv(job = { queuedPolls: 0, processingPolls: 0 }) {
  const { gateway } = await setup({}, { job });
  return { gateway, env: { PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: gateway.url } };
}

describe("unknown flags", () => {
  it("are refused on every command with exit 2, naming the closest known flag, before anything is sent", async () => {
    const { gateway, env } = await gatewayEnv();
    const cases: [string[], string][] = [
      [["wait", "ltx-2-3-text-to-video_1", "--outt", "x.mp4"], "did you mean --out?"],
      [["wait", "ltx-2-3-text-to-video_1", "--output", "x.mp4"], "did you mean --out?"],
      [["status", "ltx-2-3-text-to-video_1", "--quiet"], "unknown flag --quiet"],
      [["generate", "ltx-2-3-text-to-video", "--prompt", "x", "--durations", "6"], "did you mean --duration?"],
      [
        ["submit", "ltx-2-3-text-to-video", "--prompt", "x", "--webhok", "https://a.example/h"],
        "did you mean --webhook?",
      ],
      [["models", "--jsn"], "unknown flag --jsn"],
    ];
    for (const [args, expected] of cases) {
      const result = await runInProcess(args, env);
      expect(result.code, args.join(" ")).toBe(EXIT_CODES.usage);
      expect(result.stderr).toContain(expected);
      // The command's words, not the library's: no option of the library is suggested.
      expect(result.stderr).not.toContain("extraFields");
    }
    expect(gateway.requests).toHaveLength(0);
  });
});

describe("messages in the command's words", () => {
  it("a missing key says which variable to set, not which option to pass", async () => {
    const result = await runInProcess(["status", "ltx-2-3-text-to-video_1"], {});
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain("PIXAZO_API_KEY is not set");
    expect(result.stderr).not.toContain("{ apiKey }");
  });

  it("--timeout takes 90s, 5m and plain milliseconds, and names a bad one", async () => {
    const { env } = await gatewayEnv({ statuses: ["QUEUED", "PROCESSING"] } as never);
    const bad = await runInProcess(["wait", "ltx-2-3-text-to-video_1", "--timeout", "2x"], env);
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toContain("--timeout 2x is not a duration (e.g. 90s, 5m, 1h");
    expect(bad.stderr).not.toContain("NaN");

    const { gateway } = await setup({}, { job: { statuses: ["QUEUED", "PROCESSING"] } });
    const submitted = await runInProcess(["submit", "ltx-2-3-text-to-video", "--prompt", "x"], {
      PIXAZO_API_KEY: TEST_KEY,
      PIXAZO_BASE_URL: gateway.url,
    });
    const id = submitted.stdout.trim();
    const short = await runInProcess(["wait", id, "--timeout", "90"], {
      PIXAZO_API_KEY: TEST_KEY,
      PIXAZO_BASE_URL: gateway.url,
    });
    expect(short.stderr).toContain("did not finish within 90 ms");
    const timedOut = await runInProcess(["wait", id, "--timeout", "2s"], {
      PIXAZO_API_KEY: TEST_KEY,
      PIXAZO_BASE_URL: gateway.url,
    });
    expect(timedOut.code).toBe(EXIT_CODES.jobFailed);
    expect(timedOut.stderr).toContain(`job ${id} did not finish within 2 s`);
    expect(timedOut.stderr).toContain(`resume with: pixazo-ltx wait ${id}`);
    // One hint, the command's own: not the library's client.wait(...).
    expect(timedOut.stderr).not.toContain("client.wait");
  }, 30_000);

  it("a mistyped command or model id gets the closest one suggested", async () => {
    const { env } = await gatewayEnv();
    expect((await runInProcess(["genrate"], env)).stderr).toContain('did you mean "generate"?');
    const model = await runInProcess(["submit", "ltx-2-3-txt-to-video", "--prompt", "x"], env);
    expect(model.code).toBe(EXIT_CODES.usage);
    expect(model.stderr).toContain('did you mean "ltx-2-3-text-to-video"?');
  });

  it("a field flag without a value says so", async () => {
    const { env } = await gatewayEnv();
    const result = await runInProcess(["generate", "ltx-2-3-text-to-video", "--prompt"], env);
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain("--prompt needs a value");
    expect(result.stderr).not.toContain("received true");
  });

  it("PIXAZO_BASE_URL without a scheme is named as such, not as a question of HTTPS", async () => {
    const result = await runInProcess(["status", "ltx-2-3-text-to-video_1"], {
      PIXAZO_API_KEY: TEST_KEY,
      PIXAZO_BASE_URL: "localhost:4000",
    });
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain("PIXAZO_BASE_URL=localhost:4000 has no scheme");
  });
});

describe("what a job's outcome prints", () => {
  it("generate --json says where the video was saved", async () => {
    const { env } = await gatewayEnv();
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-json-"));
    const result = await runInProcess(
      ["generate", "ltx-2-3-text-to-video", "--prompt", "x", ...FAKE_PACE, "--out", `${dir}/`, "--json"],
      env,
    );
    expect(result.code).toBe(EXIT_CODES.ok);
    const printed = JSON.parse(result.stdout) as { request_id: string; saved_files: string[] };
    expect(printed.saved_files).toEqual([join(dir, `${printed.request_id}.mp4`)]);
  }, 30_000);

  it("gateway text cannot drive the terminal: control characters and ANSI escapes are shown escaped", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.nextJob({
      queuedPolls: 0,
      processingPolls: 0,
      outcome: "FAILED",
      error: "bad\u001b[2J\u001b]0;pwned\u0007\u009b31m",
    });
    const failed = await runInProcess(["generate", "ltx-2-3-text-to-video", "--prompt", "x", ...FAKE_PACE], env);
    expect(failed.code).toBe(EXIT_CODES.jobFailed);
    expect(controlCharactersIn(failed.stderr)).toEqual([]);
    expect(failed.stderr).toContain("bad\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m");

    gateway.nextJob({ statuses: ["\u001b[31mRED", "COMPLETED"] } as never);
    const waited = await runInProcess(
      [
        "generate",
        "ltx-2-3-text-to-video",
        "--prompt",
        "x",
        ...FAKE_PACE,
        "--json",
        "--out",
        `${await mkdtemp(join(tmpdir(), "pixazo-cli-esc-"))}/`,
      ],
      env,
    );
    expect(waited.stderr).toContain("status     \\u001b[31mRED");
    expect(controlCharactersIn(waited.stderr + waited.stdout)).toEqual([]);
  }, 30_000);
});

describe("no long silences on a terminal", () => {
  it("shows the status with the time elapsed, redrawn in place, and notes a failed request as it happens", async () => {
    const { gateway, env } = await gatewayEnv({
      statuses: ["QUEUED", "PROCESSING", "PROCESSING", "COMPLETED"],
    } as never);
    gateway.inject({ on: "status", fault: { kind: "response", status: 503 }, times: 1 });
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-tty-"));
    // Three jobs of 1.5–8 s learned by earlier runs: the estimate has something to say.
    const runTimes = join(dir, "run-times.json");
    const completed = [1.5, 6, 8].map((seconds, index) => [Date.now() - 10_000 + index, seconds]);
    await writeFile(
      runTimes,
      JSON.stringify({ version: 2, models: { "ltx-2-3-text-to-video": { completed, failed: [] } } }),
    );
    const result = await runInProcess(
      ["generate", "ltx-2-3-text-to-video", "--prompt", "x", ...FAKE_PACE, "--out", `${dir}/`],
      { ...env, PIXAZO_RUN_TIMES: runTimes },
      {
        tty: true,
      },
    );
    expect(result.code).toBe(EXIT_CODES.ok);
    // "\r" and "erase line", then the status and the time elapsed: the line redrawn in place.
    expect(result.stderr).toContain("\r\u001b[Kstatus     PROCESSING · ");
    // A job this command submitted shows about how long is left, from the SDK's estimate.
    expect(result.stderr).toMatch(/status {5}PROCESSING · about (\d+ min )?\d+ s left · \d+ s/);
    expect(result.stderr).toMatch(
      /gateway {4}GET \/v2\/requests\/status\/\S+ failed after [\d.]+ s \(.*503.*\); trying again/,
    );
  }, 30_000);

  it("off a terminal, prints one line per change and nothing redrawn", async () => {
    // Two reads find the job PROCESSING: one line for it.
    const { env } = await gatewayEnv({ queuedPolls: 1, processingPolls: 2 });
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-log-"));
    const result = await runInProcess(
      ["generate", "ltx-2-3-text-to-video", "--prompt", "x", ...FAKE_PACE, "--out", `${dir}/`],
      env,
    );
    expect(result.stderr).not.toContain("\r");
    expect(result.stderr).toMatch(/status {5}COMPLETED \(\d+\.\d s\)\n/);
    expect(result.stderr.match(/status {5}PROCESSING/g)).toHaveLength(1);
  }, 30_000);
});

describe("Ctrl-C", () => {
  it("names the submitted job and prints the command that resumes it", async () => {
    const { gateway, env } = await gatewayEnv({ statuses: ["QUEUED", "PROCESSING"] } as never);
    const output = { stdout: "", stderr: "" };
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/bin.ts",
        "generate",
        "ltx-2-3-text-to-video",
        "--prompt",
        "x",
        ...FAKE_PACE,
        "--out",
        "my video.mp4",
      ],
      { cwd: root, env: { ...process.env, ...env, PIXAZO_RUN_TIMES: "off" } },
    );
    child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
    await until(() => output.stderr.includes("status     QUEUED"));
    child.kill("SIGINT");
    const code = await new Promise((resolve) => child.on("close", resolve));
    const id = gateway.requestsOf("submit").length === 1 ? [...gateway.jobs.keys()][0] : undefined;
    expect(code).toBe(130);
    expect(output.stderr).toContain(`interrupted: job ${id} keeps running on the gateway`);
    expect(output.stderr).toContain(`resume with: pixazo-ltx wait ${id} --out 'my video.mp4'`);
  }, 30_000);
});

describe("learned run times", () => {
  it("are kept between runs of the command, so the next run waits and estimates from what earlier ones learned", async () => {
    const { gateway, env } = await gatewayEnv();
    const cache = await mkdtemp(join(tmpdir(), "pixazo-cli-cache-"));
    const dir = await mkdtemp(join(tmpdir(), "pixazo-cli-runs-"));
    // The default file holds the Pixazo gateway's run times only; for this one, a file is named.
    const withCache = { ...env, PIXAZO_RUN_TIMES: join(cache, "pixazo-ltx", "run-times.json") };
    const generate = ["generate", "ltx-2-3-text-to-video", "--prompt", "x", ...FAKE_PACE, "--out", `${dir}/`];
    for (const durationMs of [1_100, 1_600, 2_100]) {
      gateway.nextJob({ durationMs });
      const result = await runInProcess(generate, withCache);
      expect(result.code).toBe(EXIT_CODES.ok);
    }
    const stored = JSON.parse(await readFile(join(cache, "pixazo-ltx", "run-times.json"), "utf8")) as {
      models: Record<string, { completed: unknown[] }>;
    };
    expect(stored.models["ltx-2-3-text-to-video"]?.completed).toHaveLength(3);
    // The fourth run, on a terminal, starts from what the three learned: no read before the
    // fastest of them, then what the slower ones had left.
    gateway.nextJob({ durationMs: 2_500 });
    const readsBefore = gateway.requestsOf("status").length;
    const fourth = await runInProcess(generate, withCache, { tty: true });
    expect(fourth.stderr).not.toMatch(/about \d+ min/);
    expect(fourth.stderr).toMatch(/about [1-3] s left/);
    // Nothing read in the first 1.1 s: a handful of reads, where 100 ms from the start takes a dozen.
    expect(gateway.requestsOf("status").length - readsBefore).toBeLessThanOrEqual(5);

    const off = await runInProcess(generate, {
      ...env,
      PIXAZO_RUN_TIMES: "off",
      XDG_CACHE_HOME: await mkdtemp(join(tmpdir(), "pixazo-cli-off-")),
    });
    expect(off.code).toBe(EXIT_CODES.ok);
    // Against another gateway than Pixazo's (here the fake), the default cache file is left alone.
    const elsewhere = await mkdtemp(join(tmpdir(), "pixazo-cli-elsewhere-"));
    expect((await runInProcess(generate, { ...env, XDG_CACHE_HOME: elsewhere })).code).toBe(EXIT_CODES.ok);
    expect(await readdir(elsewhere)).toEqual([]);
  }, 60_000);
});
