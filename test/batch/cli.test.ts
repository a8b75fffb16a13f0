/**
 * `pixazo-ltx batch` in-process, through `runCli`: what it prints, its exit codes, and what it
 * sends. Killing it is in kill.test.ts.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliIO, EXIT_CODES, runCli } from "../../src/cli/main.js";
import { documentedErrors, type FakeJobScript, SAMPLE_VIDEO } from "../../src/testing/index.js";
import { runInProcess } from "../support/cli-process.js";
import { setup, TEST_KEY } from "../support/gateway.js";

async function batchFile(lines: unknown[]): Promise<{ file: string; out: string }> {
  const folder = await mkdtemp(join(tmpdir(), "pixazo-cli-batch-"));
  const file = join(folder, "jobs.jsonl");
  await writeFile(
    file,
    `${lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n")}\n`,
  );
  return { file, out: join(folder, "out") };
}

const line = (prompt: string, more: Record<string, unknown> = {}) => ({
  model: "ltx-2-3-text-to-video",
  input: { prompt },
  ...more,
});

async function gatewayEnv(job: FakeJobScript = { queuedPolls: 0, processingPolls: 1 }) {
  const { gateway } = await setup({}, { job });
  return { gateway, env: { PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: gateway.url } };
}

const PACE = ["--poll-interval", "50ms"];

describe("pixazo-ltx batch", () => {
  it("refuses a file with bad lines with exit 2, naming each line and field, and sends nothing", async () => {
    const { gateway, env } = await gatewayEnv();
    const { file, out } = await batchFile([
      line("fine"),
      { model: "ltx-9", input: { prompt: "x" } },
      "",
      line("x", { input: { prompt: "x", duration: 7 } }),
      line("a", { name: "clip" }),
      line("b", { name: "CLIP" }),
      "{not json",
    ]);
    const result = await runInProcess(["batch", file, "--out", out], env);
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain("nothing was sent");
    expect(result.stderr).toContain("line 2: model: unknown model id");
    expect(result.stderr).toContain("line 3: is blank");
    expect(result.stderr).toContain("line 4: input.duration:");
    expect(result.stderr).toContain("line 6: name: is the name of line 5 too");
    expect(result.stderr).toContain("line 7: is not JSON");
    expect(gateway.requests).toHaveLength(0);
  });

  it("saves every line, one log line per change off a terminal, and a rerun sends nothing and exits 0", async () => {
    const { gateway, env } = await gatewayEnv();
    const { file, out } = await batchFile([line("one", { name: "one" }), line("two"), line("three")]);
    const first = await runInProcess(["batch", file, "--out", out, ...PACE], env);
    expect(first.code).toBe(EXIT_CODES.ok);
    expect(first.stdout.trim().split("\n").sort()).toEqual(
      [join(out, "line-2.mp4"), join(out, "line-3.mp4"), join(out, "one.mp4")].sort(),
    );
    for (const name of ["one.mp4", "line-2.mp4", "line-3.mp4"]) {
      expect((await readFile(join(out, name))).equals(SAMPLE_VIDEO)).toBe(true);
    }
    expect(first.stderr).toMatch(/^line 1 \(one\): submitted ltx-2-3-text-to-video_/m);
    expect(first.stderr).toMatch(/^line 2: completed$/m);
    expect(first.stderr).toMatch(/^line 1 \(one\): saved .*one\.mp4$/m);
    expect(first.stderr).toMatch(/^batch of 3 lines in \d+ s\n {2}saved {12}3\n/m);
    const manifest = (await readFile(join(out, "batch.jsonl"), "utf8")).trim().split("\n");
    expect(manifest).toHaveLength(12);

    const sent = gateway.requests.length;
    const again = await runInProcess(["batch", file, "--out", out, ...PACE], env);
    expect(again.code).toBe(EXIT_CODES.ok);
    // stdout lists every saved file, an earlier run's too, so a script reading it gets the whole batch.
    expect(again.stdout.trim().split("\n").sort()).toEqual(first.stdout.trim().split("\n").sort());
    expect(gateway.requests.length).toBe(sent);
  });

  it("--json prints one JSON object per line of the batch on stdout", async () => {
    const { env } = await gatewayEnv();
    const { file, out } = await batchFile([line("one"), line("two")]);
    const result = await runInProcess(["batch", file, "--out", out, "--json", ...PACE], env);
    expect(result.code).toBe(EXIT_CODES.ok);
    const objects = result.stdout
      .trim()
      .split("\n")
      .map((text) => JSON.parse(text) as { line: number; outcome: string; saved_files: string[] });
    expect(objects.map((object) => object.line).sort()).toEqual([1, 2]);
    expect(objects.every((object) => object.outcome === "saved" && object.saved_files.length === 1)).toBe(true);
  });

  it("exits 1 for a failed job and for a held line, naming them and what a person can do", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.nextJob({ outcome: "FAILED", error: "content policy" });
    const { file, out } = await batchFile([line("fails"), line("fine")]);
    const first = await runInProcess(["batch", file, "--out", out, "--concurrency", "1", ...PACE], env);
    expect(first.code).toBe(EXIT_CODES.jobFailed);
    expect(first.stderr).toMatch(
      /^line 1: failed: job ltx-2-3-text-to-video_\S+ ended FAILED \(content policy\); never sent again$/m,
    );
    expect(first.stderr).toContain('to send a failed line once more, append {"line": <n>, "state": "not-sent"} to');
    expect(first.stderr).toMatch(/^ {2}failed {11}1$/m);
    expect(first.stderr).toMatch(/^ {2}saved {12}1$/m);
    expect(first.stderr).toMatch(/^needs attention:\n {2}line 1: failed/m);

    const held = await batchFile([line("held")]);
    gateway.inject({ on: "submit", fault: { kind: "reset" }, afterProcessing: true });
    const second = await runInProcess(["batch", held.file, "--out", held.out, ...PACE], env);
    expect(second.code).toBe(EXIT_CODES.jobFailed);
    expect(second.stderr).toContain("held: its submit may have reached the gateway");
    expect(second.stderr).toContain(
      `if it has, append {"line": <n>, "state": "submitted", "request_id": "<its id>"} to ${join(held.out, "batch.jsonl")} and rerun; if not, rerun with --resubmit-held`,
    );
  });

  it("exits 4 when a completed job's media could not be saved, and the rerun saves it", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.cdn.inject({ kind: "status", status: 404 });
    const { file, out } = await batchFile([line("one")]);
    const first = await runInProcess(["batch", file, "--out", out, ...PACE], env);
    expect(first.code).toBe(EXIT_CODES.notSaved);
    expect(first.stderr).toMatch(
      /^line 1: not saved: job \S+ completed, its media could not be saved \(.*404.*\); a rerun saves it$/m,
    );
    expect(first.stderr).toContain(`save the media of the completed jobs with: pixazo-ltx batch ${file} --out ${out}`);
    const second = await runInProcess(["batch", file, "--out", out, ...PACE], env);
    expect(second.code).toBe(EXIT_CODES.ok);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("stops on a refusal every submit would meet with exit 3 and the command that resumes", async () => {
    const { gateway, env } = await gatewayEnv();
    gateway.inject({ on: "submit", fault: documentedErrors.insufficientBalance, times: 10 });
    const { file, out } = await batchFile([line("one"), line("two"), line("three")]);
    const result = await runInProcess(
      ["batch", file, "--out", out, "--concurrency", "1", "--resubmit-held", ...PACE],
      env,
    );
    expect(result.code).toBe(EXIT_CODES.apiError);
    expect(result.stderr).toMatch(/stopped: .*balance/i);
    // The resume command leaves --resubmit-held out: sending held lines again is a person's call.
    expect(result.stderr).toContain(
      `resume with: pixazo-ltx batch ${file} --out ${out} --concurrency 1 --poll-interval 50ms`,
    );
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("on a terminal, redraws one summary line with the counts", async () => {
    const { env } = await gatewayEnv();
    const { file, out } = await batchFile([line("one"), line("two")]);
    const result = await runInProcess(["batch", file, "--out", out, ...PACE], env, { tty: true });
    expect(result.code).toBe(EXIT_CODES.ok);
    expect(result.stderr).toContain("\r\u001b[Kbatch      2/2 done · 0 running · 0 queued");
    // Saved lines are not listed one by one on a terminal: the summary counts them.
    expect(result.stderr).not.toContain("line 1: saved");
  });

  it("on a terminal, prints each saved path on a line of its own, never after the redrawn line", async () => {
    const { env } = await gatewayEnv();
    const { file, out } = await batchFile([line("one"), line("two")]);
    let screen = "";
    const io: CliIO = {
      stdout: (text) => {
        screen += text;
      },
      stderr: (text) => {
        screen += text;
      },
      stderrIsTTY: true,
      env,
      signal: new AbortController().signal,
    };
    expect(await runCli(["batch", file, "--out", out, ...PACE], io)).toBe(EXIT_CODES.ok);
    for (const name of ["line-1.mp4", "line-2.mp4"]) {
      // The redrawn line is erased ("\r" and erase-line) just before the path is written.
      expect(screen).toContain(`\r\u001b[K${join(out, name)}\n`);
    }
  });

  it("refuses another batch's lines in the same --out with exit 2, saying to give it its own", async () => {
    const { gateway, env } = await gatewayEnv();
    const { file, out } = await batchFile([line("one")]);
    expect((await runInProcess(["batch", file, "--out", out, ...PACE], env)).code).toBe(EXIT_CODES.ok);
    const other = await batchFile([line("another")]);
    const sent = gateway.requests.length;
    const result = await runInProcess(["batch", other.file, "--out", out, ...PACE], env);
    expect(result.code).toBe(EXIT_CODES.usage);
    expect(result.stderr).toContain("line 1: changed since the manifest recorded its submit");
    expect(result.stderr).toContain("give this one its own --out, or --manifest");
    expect(gateway.requests.length).toBe(sent);
  });

  it("refuses bad flags with exit 2 before anything is sent", async () => {
    const { gateway, env } = await gatewayEnv();
    const { file, out } = await batchFile([line("one")]);
    for (const [args, expected] of [
      [["--concurrency", "0"], "--concurrency takes a whole number from 1 to 1000"],
      [["--concurency", "2"], "did you mean --concurrency?"],
      [["--timeout", "soon"], "--timeout soon is not a duration"],
    ] as const) {
      const result = await runInProcess(["batch", file, "--out", out, ...args], env);
      expect(result.code).toBe(EXIT_CODES.usage);
      expect(result.stderr).toContain(expected);
    }
    expect((await runInProcess(["batch"], env)).stderr).toContain("missing <file>");
    expect((await runInProcess(["batch", file, "other.jsonl"], env)).stderr).toContain(
      "one batch file at a time: unexpected other.jsonl",
    );
    expect((await runInProcess(["batch", "-"], env)).stderr).toContain("give the batch as a file, not stdin");
    expect((await runInProcess(["batch", join(out, "nope.jsonl")], env)).stderr).toContain(
      "cannot read the batch file",
    );
    expect(gateway.requests).toHaveLength(0);
  });
});
