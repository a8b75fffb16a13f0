/** The `pixazo-ltx` command as a subprocess, for the tests that run it the way users do. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CliIO, runCli } from "../../src/cli/main.js";
import { bundledCli } from "./cli-bundle.js";
import { setup, TEST_KEY } from "./gateway.js";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const scratchCache = mkdtempSync(join(tmpdir(), "pixazo-cli-cache-"));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command as a subprocess, the way a user runs it (bundled in one file, as the package's
 * `dist/cli.js` is), with its default options.
 */
export function cli(
  commandLine: string[],
  env: Record<string, string>,
  onStart?: (child: ChildProcess, output: { stderr: string }) => void,
): Promise<Run> {
  const args = commandLine;
  return new Promise((resolve, reject) => {
    void bundledCli().then((bundle) => {
      const base = { ...process.env };
      delete base.PIXAZO_API_KEY;
      delete base.PIXAZO_BASE_URL;
      // Learned run times go to a scratch cache, not the user's.
      base.XDG_CACHE_HOME = scratchCache;
      const child = spawn(process.execPath, [bundle, ...args], {
        cwd: root,
        env: { ...base, ...env },
      });
      const output = { stdout: "", stderr: "" };
      child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, ...output }));
      onStart?.(child, output);
    }, reject);
  });
}

/** Runs a command line through `sh`, with `pixazo-ltx` on the PATH as an installed package has it. */
export async function inShell(commandLine: string, env: Record<string, string>): Promise<Run> {
  const bin = await mkdtemp(join(tmpdir(), "pixazo-bin-"));
  const shim = join(bin, "pixazo-ltx");
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${await bundledCli()}" "$@"\n`);
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

export async function gatewayEnv() {
  // Jobs finish at the first status read: the command polls with the SDK's real defaults (~1 s).
  const { gateway } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
  return { gateway, env: { PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: gateway.url } };
}

/** What an in-process run of the command printed, and its exit code. */
export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command in-process through `runCli`, on a terminal or not; `env` is all it sees. */
export async function runInProcess(
  args: string[],
  env: Record<string, string>,
  options: { tty?: boolean } = {},
): Promise<InProcessRun> {
  const output = { stdout: "", stderr: "" };
  const io: CliIO = {
    stdout: (text) => {
      output.stdout += text;
    },
    stderr: (text) => {
      output.stderr += text;
    },
    stderrIsTTY: options.tty === true,
    env,
    signal: new AbortController().signal,
  };
  const code = await runCli(args, io);
  return { code, ...output };
}
