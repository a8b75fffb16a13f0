import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Pixazo } from "../client.js";
import { checkWritable } from "../download/target-file.js";
import {
  GenerationFailedError,
  NotFoundError,
  PixazoError,
  ValidationError,
  WaitTimeoutError,
} from "../errors/errors.js";
import type { CompletedJob, JobStatus } from "../gateway/schemas.js";
import type { WebhookRegistration } from "../gateway/webhook-registration.js";
import { describeModelInput } from "../models/describe.js";
import { getModel, MODEL_LIST, type ModelId } from "../models/registry.js";
import { VERSION } from "../version.js";
import { type ParsedArgs, parseArgs } from "./args.js";
import { HELP } from "./help.js";
import { progressBar } from "./progress.js";

/** Exit codes of the command, as documented in its help. */
export const EXIT_CODES = { ok: 0, jobFailed: 1, usage: 2, apiError: 3, notSaved: 4, interrupted: 130 } as const;

/** What the command reads and writes; the real process in `bin.ts`, fakes in tests. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C. */
  readonly signal: AbortSignal;
}

/** Flags of the command itself; every other flag is a model field. */
const OWN_FLAGS = new Set(["out", "webhook", "webhook-mode", "timeout", "json", "help", "h", "version", "quiet"]);

class UsageError extends Error {}

/** The job completed, and saving its media failed: the video is paid for and can still be saved. */
class NotSavedError extends Error {
  constructor(
    readonly requestId: string,
    readonly out: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }

  /** The command that saves the media of the completed job. */
  get resumeCommand(): string {
    return `pixazo-ltx wait ${shellWord(this.requestId)} --out ${shellWord(this.out)}`;
  }
}

/** `text` as one word of a POSIX shell command line. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

function flag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

/** Reads model fields from the flags, converting each value to its field's JSON type. */
function modelInput(modelId: string, args: ParsedArgs): Record<string, unknown> {
  const fields = new Map(describeModelInput(getModel(modelId)).map((field) => [field.name, field]));
  const input: Record<string, unknown> = {};
  for (const [rawName, raw] of args.flags) {
    if (OWN_FLAGS.has(rawName)) continue;
    const name = fields.has(rawName) ? rawName : rawName.replaceAll("-", "_");
    const type = fields.get(name)?.type;
    input[name] = raw === true ? (type === "boolean" ? true : raw) : convert(raw, type);
  }
  return input;
}

function convert(raw: string, type: string | undefined): unknown {
  if ((type === "number" || type === "integer") && raw.trim() !== "" && !Number.isNaN(Number(raw))) return Number(raw);
  if (type === "boolean") {
    if (/^(true|1|yes)$/i.test(raw)) return true;
    if (/^(false|0|no)$/i.test(raw)) return false;
  }
  if (type === "array") {
    if (raw.trim().startsWith("[")) {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
    return raw.split(",").map((item) => item.trim());
  }
  // Left as typed: the schema names the field and what is allowed.
  return raw;
}

function webhookOf(args: ParsedArgs): WebhookRegistration | undefined {
  const url = flag(args, "webhook");
  const mode = flag(args, "webhook-mode");
  if (url === undefined) {
    if (mode !== undefined) throw new UsageError("--webhook-mode needs --webhook");
    return undefined;
  }
  return { url, mode: mode as WebhookRegistration["mode"] };
}

function timeoutOf(args: ParsedArgs): number | undefined {
  const raw = flag(args, "timeout");
  return raw === undefined ? undefined : Number(raw);
}

/** Prints a status line on stderr whenever the status changes. */
function statusPrinter(io: CliIO): (status: JobStatus) => void {
  let previous: string | undefined;
  const started = Date.now();
  return ({ status }) => {
    if (status === previous) return;
    previous = status;
    io.stderr(`status     ${status} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  };
}

/** Where `--out` points: a folder (it ends with "/" or is one; the default ./out) or a file. */
function outTarget(out: string | undefined): { path: string; isFolder: boolean } {
  if (out === undefined) return { path: `${join(process.cwd(), "out")}/`, isFolder: true };
  const isFolder = out.endsWith("/") || (existsSync(out) && statSync(out).isDirectory());
  return { path: out, isFolder };
}

/**
 * Checks, before anything is submitted, that the media could be saved where `--out` says: a
 * job is paid for, and a typo in a folder name must not lose its video.
 */
async function checkOut(out: string | undefined): Promise<void> {
  const target = outTarget(out);
  await checkWritable(target.isFolder ? join(target.path, ".pixazo-ltx-write-check") : target.path);
}

/** Saves the job's media where `--out` says (a file, or a folder) or under ./out. */
async function save(client: Pixazo, job: CompletedJob, out: string | undefined, io: CliIO): Promise<string[]> {
  const target = outTarget(out);
  const bar = progressBar(io.stderr, io.stderrIsTTY);
  const options = { signal: io.signal, onProgress: bar.update };
  try {
    const results = target.isFolder
      ? await client.downloadAll(job, target.path, options)
      : [await client.download(job, target.path, options)];
    bar.done();
    return results.map((result) => result.path);
  } catch (error) {
    throw new NotSavedError(job.request_id, target.isFolder ? target.path : resolve(target.path), error);
  }
}

async function generate(args: ParsedArgs, io: CliIO, client: Pixazo, submitOnly: boolean): Promise<number> {
  const modelId = args.positionals[0];
  if (!modelId) throw new UsageError("missing <model-id> (see: pixazo-ltx models)");
  const input = modelInput(modelId, args);
  const webhook = webhookOf(args);
  if (!submitOnly) await checkOut(flag(args, "out"));
  if (submitOnly) {
    const submitted = await client.submit(modelId as ModelId, input as never, { signal: io.signal, webhook });
    io.stdout(args.flags.has("json") ? `${JSON.stringify(submitted, null, 2)}\n` : `${submitted.request_id}\n`);
    return EXIT_CODES.ok;
  }
  const job = await client.generate(modelId as ModelId, input as never, {
    signal: io.signal,
    webhook,
    timeoutMs: timeoutOf(args),
    onSubmit: ({ request_id }) => io.stderr(`submitted  ${request_id}\n`),
    onStatus: statusPrinter(io),
  });
  const paths = await save(client, job, flag(args, "out"), io);
  io.stdout(args.flags.has("json") ? `${JSON.stringify(job, null, 2)}\n` : `${paths.join("\n")}\n`);
  return EXIT_CODES.ok;
}

async function waitCommand(args: ParsedArgs, io: CliIO, client: Pixazo): Promise<number> {
  const requestId = args.positionals[0];
  if (!requestId) throw new UsageError("missing <request_id>");
  const out = flag(args, "out");
  if (out !== undefined) await checkOut(out);
  const job = await client.wait(requestId, {
    signal: io.signal,
    timeoutMs: timeoutOf(args),
    onStatus: statusPrinter(io),
  });
  const lines = out === undefined ? (job.output?.media_url ?? []) : await save(client, job, out, io);
  io.stdout(args.flags.has("json") ? `${JSON.stringify(job, null, 2)}\n` : `${lines.join("\n")}\n`);
  return EXIT_CODES.ok;
}

function modelsCommand(args: ParsedArgs, io: CliIO): number {
  const only = args.positionals[0];
  const models = only ? [getModel(only)] : MODEL_LIST;
  const lines: string[] = [];
  for (const model of models) {
    const fields = describeModelInput(model);
    lines.push(`${model.id}  (client.${model.helper.group}.${model.helper.name})  ${model.title}`);
    lines.push(`  ${model.summary}`);
    const width = Math.max(...fields.map((field) => field.name.length)) + 2;
    for (const field of fields) {
      const required = field.required ? "required" : "optional";
      lines.push(
        `  --${field.name.padEnd(width)}${required}  ${field.type}${field.allowed ? `  ${field.allowed}` : ""}`,
      );
    }
    lines.push("");
  }
  io.stdout(`${lines.join("\n")}`);
  return EXIT_CODES.ok;
}

/** The exit code and message for an error, per the documented exit codes. */
function report(error: unknown, io: CliIO): number {
  if (error instanceof NotSavedError) {
    const why = io.signal.aborted ? "interrupted while saving" : `error: ${error.message}`;
    io.stderr(
      `${why}\njob ${error.requestId} completed, but its media was not saved.\nsave it with: ${error.resumeCommand}\n`,
    );
    return io.signal.aborted ? EXIT_CODES.interrupted : EXIT_CODES.notSaved;
  }
  if (io.signal.aborted) {
    io.stderr("\ninterrupted: nothing more was sent; a submitted job keeps running on the gateway\n");
    return EXIT_CODES.interrupted;
  }
  const message = error instanceof Error ? error.message : String(error);
  const resume =
    error instanceof PixazoError &&
    error.requestId &&
    !(error instanceof GenerationFailedError) &&
    !(error instanceof NotFoundError)
      ? `\nresume with: pixazo-ltx wait ${error.requestId}`
      : "";
  io.stderr(`error: ${message}${resume}\n`);
  if (error instanceof UsageError || error instanceof ValidationError) return EXIT_CODES.usage;
  if (error instanceof GenerationFailedError || error instanceof WaitTimeoutError) return EXIT_CODES.jobFailed;
  return EXIT_CODES.apiError;
}

/**
 * Runs the `pixazo-ltx` command and returns its exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(["models"], { stdout: (t) => process.stdout.write(t), ... });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  const command = args.command;
  if (args.flags.has("version")) {
    io.stdout(`${VERSION}\n`);
    return EXIT_CODES.ok;
  }
  if (
    command === undefined ||
    command === "help" ||
    ((args.flags.has("help") || args.flags.has("h")) && !HELP[command])
  ) {
    io.stdout(`${HELP.main}\n`);
    return command === undefined && !args.flags.has("help") && !args.flags.has("h") ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  if (args.flags.has("help") || args.flags.has("h")) {
    io.stdout(`${HELP[command]}\n`);
    return EXIT_CODES.ok;
  }
  try {
    if (command === "models") return modelsCommand(args, io);
    if (!["generate", "submit", "status", "wait"].includes(command)) {
      throw new UsageError(`unknown command "${command}" (commands: generate, submit, status, wait, models)`);
    }
    const client = new Pixazo({ apiKey: io.env.PIXAZO_API_KEY, baseUrl: io.env.PIXAZO_BASE_URL || undefined });
    try {
      if (command === "generate" || command === "submit") return await generate(args, io, client, command === "submit");
      if (command === "wait") return await waitCommand(args, io, client);
      const requestId = args.positionals[0];
      if (!requestId) throw new UsageError("missing <request_id>");
      io.stdout(`${JSON.stringify(await client.status(requestId, { signal: io.signal }), null, 2)}\n`);
      return EXIT_CODES.ok;
    } finally {
      await client.close();
    }
  } catch (error) {
    return report(error, io);
  }
}
