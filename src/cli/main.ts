import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Pixazo } from "../client.js";
import { isDefaultGateway } from "../client-options.js";
import { checkWritable } from "../download/target-file.js";
import {
  GenerationFailedError,
  NotFoundError,
  PixazoError,
  ValidationError,
  WaitTimeoutError,
} from "../errors/errors.js";
import type { WebhookRegistration } from "../gateway/webhook-registration.js";
import { escapeControlCharacters } from "../internal/control-characters.js";
import { VERSION } from "../internal/version.js";
import type { CompletedJob, JobStatus } from "../job/status.js";
import { describeModelInput, type FieldDescription } from "../models/describe.js";
import { getModel, MODELS, type ModelId } from "../models/registry.js";
import { closestField } from "../models/validate.js";
import type { CompletionEstimate } from "../polling/estimate.js";
import type { WaitProgress } from "../polling/wait.js";
import { type Activity, activity, elapsedText } from "./activity.js";
import { type ParsedArgs, parseArgs } from "./args.js";
import { BatchUsageError, runBatchCommand } from "./batch.js";
import { HELP } from "./help.js";
import { printableJson } from "./printable.js";
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

/** The flags of each command (besides --help and --version); generate and submit also take model fields. */
const COMMAND_FLAGS: Readonly<Record<string, readonly string[]>> = {
  generate: ["out", "webhook", "webhook-mode", "timeout", "poll-interval", "max-poll-interval", "json"],
  submit: ["webhook", "webhook-mode", "json"],
  status: [],
  wait: ["out", "timeout", "poll-interval", "max-poll-interval", "json"],
  batch: [
    "out",
    "manifest",
    "concurrency",
    "timeout",
    "poll-interval",
    "max-poll-interval",
    "webhook",
    "webhook-mode",
    "json",
    "resubmit-held",
  ],
  models: [],
  "fake-gateway": ["port"],
};
const GLOBAL_FLAGS = ["help", "h", "version"];

/** Flags people type for one of ours. */
const SYNONYMS: Readonly<Record<string, string>> = {
  output: "out",
  o: "out",
  "webhook-url": "webhook",
  mode: "webhook-mode",
};

class UsageError extends Error {}

/** What the command has done so far, for the message of an interruption. */
interface Session {
  /** The job submitted by this command, or waited for. */
  requestId?: string;
  /** `--out`, as typed. */
  out?: string;
  /** `--poll-interval`, in ms. */
  pollIntervalMs?: number | undefined;
  /** `--max-poll-interval`, in ms. */
  maxPollIntervalMs?: number | undefined;
  /** `--json`: stdout carries the job's status object, a failed job's too. */
  readonly json: boolean;
  readonly activity: Activity;
}

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

/**
 * Refuses a flag the command does not take (a typo must not be silently ignored: `--outt x.mp4`
 * would wait, print the URL and save nothing), with the closest flag it does take.
 */
function checkFlags(command: string, args: ParsedArgs, fields: readonly FieldDescription[] = []): void {
  const known = [...(COMMAND_FLAGS[command] ?? []), ...GLOBAL_FLAGS];
  const fieldNames = fields.map((field) => field.name);
  for (const name of args.flags.keys()) {
    if (known.includes(name) || fieldNames.includes(name) || fieldNames.includes(name.replaceAll("-", "_"))) continue;
    const candidates = [...known.filter((flag) => flag.length > 1), ...fieldNames];
    const suggestion =
      SYNONYMS[name] && known.includes(SYNONYMS[name]) ? SYNONYMS[name] : closestField(name, candidates);
    const others = fields.length > 0 ? '; "pixazo-ltx models <model-id>" lists a model\'s fields' : "";
    throw new UsageError(
      `unknown flag --${name} for "${command}"${suggestion ? `; did you mean --${suggestion}?` : ""}${others}`,
    );
  }
}

/** Reads model fields from the flags, converting each value to its field's JSON type. */
function modelInput(modelId: string, args: ParsedArgs): Record<string, unknown> {
  const described = describeModelInput(getModel(modelId));
  checkFlags(args.command ?? "generate", args, described);
  const fields = new Map(described.map((field) => [field.name, field]));
  const own = COMMAND_FLAGS[args.command ?? "generate"] ?? [];
  const input: Record<string, unknown> = {};
  for (const [rawName, raw] of args.flags) {
    if (own.includes(rawName) || GLOBAL_FLAGS.includes(rawName)) continue;
    const name = fields.has(rawName) ? rawName : rawName.replaceAll("-", "_");
    const type = fields.get(name)?.type;
    if (raw === true && type !== "boolean") throw new UsageError(`--${rawName} needs a value`);
    input[name] = raw === true ? true : convert(raw, type);
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

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * A duration flag (`--timeout`, `--poll-interval`): milliseconds, or a number with a unit: `90s`,
 * `5m`, `1h`, `1500ms`.
 */
function durationOf(args: ParsedArgs, name: "timeout" | "poll-interval" | "max-poll-interval"): number | undefined {
  const raw = flag(args, name);
  if (raw === undefined) return undefined;
  const parsed = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(raw);
  const unit = DURATION_UNITS[(parsed?.[2] ?? "ms").toLowerCase()];
  const ms = parsed && unit ? Math.round(Number(parsed[1]) * unit) : Number.NaN;
  if (!(ms > 0)) {
    throw new UsageError(
      `--${name} ${escapeControlCharacters(raw)} is not a duration (e.g. 90s, 5m, 1h, or 120000 for milliseconds)`,
    );
  }
  return ms;
}

/** `--poll-interval` and `--max-poll-interval`, checked together, into the session's client settings. */
function pollingOf(args: ParsedArgs, session: Session): void {
  session.pollIntervalMs = durationOf(args, "poll-interval");
  session.maxPollIntervalMs = durationOf(args, "max-poll-interval");
  if (session.maxPollIntervalMs !== undefined && session.maxPollIntervalMs < (session.pollIntervalMs ?? 0)) {
    throw new UsageError("--max-poll-interval must not be shorter than --poll-interval");
  }
}

/** `about 40 s left`, counting down from an estimate made `madeAt` (ms); `due now` once it passed. */
function timeLeft(estimate: CompletionEstimate, madeAt: number): string {
  const left = estimate.remainingMs - (Date.now() - madeAt);
  return left > 0 ? `about ${elapsedText(left + 999)} left` : "due now";
}

/**
 * Shows the job's status as it changes; on a terminal with the time elapsed and, for a job this
 * command submitted, about how long is left (counting down between reads).
 */
function statusShower(session: Session): (status: JobStatus, progress: WaitProgress) => void {
  return ({ status }, { estimate }) => {
    const madeAt = Date.now();
    session.activity.show(`status     ${escapeControlCharacters(status)}`, {
      detail: estimate && (() => timeLeft(estimate, madeAt)),
    });
  };
}

/**
 * Where the command keeps learned run times, so each run starts with the last one's estimates:
 * `PIXAZO_RUN_TIMES` (a file path, or `off`), else `$XDG_CACHE_HOME/pixazo-ltx/run-times.json`,
 * else `~/.cache/pixazo-ltx/run-times.json`; nothing without a home to put it in. The default
 * file holds the Pixazo gateway's run times only: against another base URL (the fake gateway, a
 * staging one) nothing is kept unless `PIXAZO_RUN_TIMES` names a file.
 */
function runTimeFile(env: CliIO["env"], baseUrl: string | undefined): string | undefined {
  const chosen = env.PIXAZO_RUN_TIMES;
  if (chosen !== undefined && chosen !== "") return chosen === "off" ? undefined : chosen;
  if (baseUrl !== undefined && !isDefaultGateway(baseUrl)) return undefined;
  const cache = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, ".cache") : undefined);
  return cache ? join(cache, "pixazo-ltx", "run-times.json") : undefined;
}

/**
 * The client, for a person at a terminal: the key and gateway from the environment, checked in
 * the command's words, and each failed request noted as it happens (a retry is then visible).
 */
function clientFor(io: CliIO, session: Session): Pixazo {
  const apiKey = io.env.PIXAZO_API_KEY;
  if (!apiKey) throw new UsageError("PIXAZO_API_KEY is not set: export PIXAZO_API_KEY=<your subscription key>");
  const baseUrl = io.env.PIXAZO_BASE_URL || undefined;
  if (baseUrl !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl)) {
    throw new UsageError(
      `PIXAZO_BASE_URL=${escapeControlCharacters(baseUrl)} has no scheme: write it as https://host (http://localhost:PORT for a gateway on this machine)`,
    );
  }
  return new Pixazo({
    apiKey,
    baseUrl,
    pollIntervalMs: session.pollIntervalMs,
    maxPollIntervalMs: session.maxPollIntervalMs,
    runTimeStore: runTimeFile(io.env, baseUrl),
    logger: {
      debug: (message, details) => {
        if (message !== "pixazo-ltx request failed") return;
        const { method, path, ms, error, status, code, retrying } = details as Record<string, unknown>;
        const why = [error, status, code].filter((part) => part !== undefined).join(" ");
        session.activity.note(
          `gateway    ${String(method)} ${shown(String(path))} failed after ${(Number(ms) / 1000).toFixed(1)} s (${shown(why)})${retrying === true ? "; trying again" : ""}`,
        );
      },
    },
  });
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
async function save(
  client: Pixazo,
  job: CompletedJob,
  out: string | undefined,
  io: CliIO,
  session: Session,
): Promise<string[]> {
  session.activity.stop();
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

/** Runs `use` with a client made for this command, closed afterwards whatever happens. */
async function withClient<T>(io: CliIO, session: Session, use: (client: Pixazo) => Promise<T>): Promise<T> {
  const client = clientFor(io, session);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** The model id and its input from the command line, checked before a client is made. */
function modelCall(args: ParsedArgs): { modelId: ModelId; input: Record<string, unknown> } {
  const modelId = args.positionals[0];
  if (!modelId) throw new UsageError("missing <model-id> (see: pixazo-ltx models)");
  return { modelId: modelId as ModelId, input: modelInput(modelId, args) };
}

async function submitCommand(args: ParsedArgs, io: CliIO, session: Session): Promise<number> {
  const { modelId, input } = modelCall(args);
  const webhook = webhookOf(args);
  return withClient(io, session, async (client) => {
    session.activity.show("submitting", { onlyOnTerminal: true });
    const submitted = await client.submit(modelId, input as never, { signal: io.signal, webhook });
    session.activity.stop();
    io.stdout(args.flags.has("json") ? `${printableJson(submitted)}\n` : `${shown(submitted.request_id)}\n`);
    return EXIT_CODES.ok;
  });
}

async function generateCommand(args: ParsedArgs, io: CliIO, session: Session): Promise<number> {
  const { modelId, input } = modelCall(args);
  const webhook = webhookOf(args);
  const timeoutMs = durationOf(args, "timeout");
  pollingOf(args, session);
  const out = flag(args, "out");
  if (out !== undefined) session.out = out;
  await checkOut(out);
  return withClient(io, session, async (client) => {
    session.activity.show("submitting", { onlyOnTerminal: true });
    const job = await client.generate(modelId, input as never, {
      signal: io.signal,
      webhook,
      timeoutMs,
      onSubmit: ({ request_id }) => {
        session.requestId = request_id;
        session.activity.note(`submitted  ${shown(request_id)}`);
        session.activity.show("waiting for the first status", { onlyOnTerminal: true });
      },
      onStatus: statusShower(session),
    });
    const paths = await save(client, job, out, io, session);
    io.stdout(
      args.flags.has("json")
        ? `${printableJson({ ...job, saved_files: paths })}\n`
        : `${paths.map(shown).join("\n")}\n`,
    );
    return EXIT_CODES.ok;
  });
}

async function waitCommand(args: ParsedArgs, io: CliIO, session: Session): Promise<number> {
  checkFlags("wait", args);
  const requestId = args.positionals[0];
  if (!requestId) throw new UsageError("missing <request_id>");
  const timeoutMs = durationOf(args, "timeout");
  pollingOf(args, session);
  const out = flag(args, "out");
  if (out !== undefined) await checkOut(out);
  session.requestId = requestId;
  if (out !== undefined) session.out = out;
  return withClient(io, session, async (client) => {
    session.activity.show("waiting", { onlyOnTerminal: true });
    const job = await client.wait(requestId, { signal: io.signal, timeoutMs, onStatus: statusShower(session) });
    session.activity.stop();
    const saved = out === undefined ? undefined : await save(client, job, out, io, session);
    if (args.flags.has("json")) io.stdout(`${printableJson(saved ? { ...job, saved_files: saved } : job)}\n`);
    else io.stdout(`${(saved ?? job.output.media_url ?? []).map(shown).join("\n")}\n`);
    return EXIT_CODES.ok;
  });
}

async function statusCommand(args: ParsedArgs, io: CliIO, session: Session): Promise<number> {
  checkFlags("status", args);
  const requestId = args.positionals[0];
  if (!requestId) throw new UsageError("missing <request_id>");
  return withClient(io, session, async (client) => {
    session.activity.show("reading status", { onlyOnTerminal: true });
    const status = await client.status(requestId, { signal: io.signal });
    session.activity.stop();
    io.stdout(`${printableJson(status)}\n`);
    return EXIT_CODES.ok;
  });
}

/**
 * Runs a JSON Lines file of jobs (see batch.ts): `--out` (default ./out) holds the files and,
 * unless `--manifest` says otherwise, the manifest `batch.jsonl` that a rerun resumes from.
 */
async function batchCommand(args: ParsedArgs, io: CliIO, session: Session): Promise<number> {
  checkFlags("batch", args);
  const [file, ...extra] = args.positionals;
  if (!file) throw new UsageError("missing <file> (a JSON Lines file, one job a line)");
  if (extra.length > 0)
    throw new UsageError(`one batch file at a time: unexpected ${escapeControlCharacters(extra[0] ?? "")}`);
  if (file === "-") throw new UsageError("give the batch as a file, not stdin: a rerun reads it again to resume");
  const rawConcurrency = flag(args, "concurrency");
  const concurrency = rawConcurrency === undefined ? undefined : Number(rawConcurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 1000)) {
    throw new UsageError("--concurrency takes a whole number from 1 to 1000");
  }
  const webhook = webhookOf(args);
  const timeoutMs = durationOf(args, "timeout");
  pollingOf(args, session);
  const out = flag(args, "out") ?? "out";
  const manifest = flag(args, "manifest") ?? join(out, "batch.jsonl");
  // The command that reruns the batch as given (never with --resubmit-held: that is a person's call).
  const rerun = [
    "pixazo-ltx batch",
    shellWord(file),
    ...[...args.flags]
      .filter(([name]) => name !== "resubmit-held")
      .map(([name, value]) => (value === true ? `--${name}` : `--${name} ${shellWord(value)}`)),
  ].join(" ");
  return withClient(io, session, (client) =>
    runBatchCommand(
      client,
      {
        file,
        out,
        manifest,
        concurrency,
        timeoutMs,
        webhook,
        resubmitHeld: args.flags.has("resubmit-held"),
        json: args.flags.has("json"),
        rerun,
      },
      { stdout: io.stdout, stderr: io.stderr, isTTY: io.stderrIsTTY, signal: io.signal },
    ),
  );
}

function modelsCommand(args: ParsedArgs, io: CliIO): number {
  checkFlags("models", args);
  const only = args.positionals[0];
  const models = only ? [getModel(only)] : Object.values(MODELS);
  const lines: string[] = [];
  for (const model of models) {
    const fields = describeModelInput(model);
    lines.push(`${model.id}  (client.${model.shortcut.group}.${model.shortcut.name})  ${model.title}`);
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

/**
 * Serves the test kit's fake gateway on 127.0.0.1 until Ctrl-C: the CLI and an app can be tried
 * against it without a key or credits. The kit is loaded only by this command.
 */
async function fakeGatewayCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  checkFlags("fake-gateway", args);
  const given = args.flags.get("port");
  const port = given === undefined ? 0 : Number(given);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError("--port takes a port number from 0 to 65535 (0 picks a free one)");
  }
  const { startFakeGateway } = await import("../testing/fake-gateway.js");
  // Jobs that take wall time, as real ones do, rather than a number of status reads: a client
  // that learns run times reads less often, and a job moved by reads would slow down with it.
  const gateway = await startFakeGateway({ port, job: { durationMs: 4_000, queuedMs: 1_000 } });
  io.stdout(
    `fake gateway listening on ${gateway.url} (Ctrl-C stops it)\n` +
      "use it from another shell:\n" +
      `  export PIXAZO_BASE_URL=${gateway.url} PIXAZO_API_KEY=any-key\n` +
      '  pixazo-ltx generate ltx-2-3-text-to-video --prompt "A lighthouse in a storm"\n',
  );
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await gateway.close();
  io.stderr("fake gateway stopped\n");
  return EXIT_CODES.ok;
}

/**
 * Text from the gateway or the user, fit for a terminal line: control characters (ESC, BEL, the
 * C1 set) escaped, so an id or URL cannot clear the screen, set the title or write the clipboard.
 */
const shown = (text: string): string => escapeControlCharacters(text);

/** The command that picks up waiting for `requestId` (and saving, with `--out`). */
function waitCommandLine(requestId: string, out: string | undefined): string {
  return `pixazo-ltx wait ${shellWord(requestId)}${out === undefined ? "" : ` --out ${shellWord(out)}`}`;
}

/** The exit code and message for an error, per the documented exit codes. */
function report(error: unknown, io: CliIO, session: Session): number {
  session.activity.stop();
  if (error instanceof NotSavedError) {
    const why = io.signal.aborted ? "interrupted while saving" : `error: ${shown(error.message)}`;
    io.stderr(
      `${why}\njob ${shown(error.requestId)} completed, but its media was not saved.\nsave it with: ${shown(error.resumeCommand)}\n`,
    );
    return io.signal.aborted ? EXIT_CODES.interrupted : EXIT_CODES.notSaved;
  }
  if (io.signal.aborted) {
    io.stderr(
      session.requestId
        ? `\ninterrupted: job ${shown(session.requestId)} keeps running on the gateway\nresume with: ${shown(waitCommandLine(session.requestId, session.out))}\n`
        : "\ninterrupted: nothing more was sent\n",
    );
    return EXIT_CODES.interrupted;
  }
  // A script reading stdout gets the terminal status object whichever way the job ended.
  if (session.json && error instanceof GenerationFailedError) io.stdout(`${printableJson(error.job)}\n`);
  if (error instanceof WaitTimeoutError) {
    const last = error.lastStatus
      ? `last status ${escapeControlCharacters(error.lastStatus.status)}`
      : "no status read yet";
    io.stderr(
      `error: job ${shown(error.requestId)} did not finish within ${error.timeoutMs < 1000 ? `${error.timeoutMs} ms` : elapsedText(error.timeoutMs)} (${last}); it keeps running on the gateway\nresume with: ${shown(waitCommandLine(error.requestId, session.out))}\n`,
    );
    return EXIT_CODES.jobFailed;
  }
  const message = error instanceof Error ? error.message : String(error);
  const resume =
    error instanceof PixazoError &&
    error.requestId &&
    !(error instanceof GenerationFailedError) &&
    !(error instanceof NotFoundError)
      ? `\nresume with: ${shown(waitCommandLine(error.requestId, session.out))}`
      : "";
  // Only the command's and the checks' own messages keep their line breaks (a list of bad fields):
  // any other may quote the gateway, whose newline must not forge a line of the output.
  const ownLines = error instanceof UsageError || error instanceof BatchUsageError || error instanceof ValidationError;
  io.stderr(`error: ${escapeControlCharacters(message, { keepNewlines: ownLines })}${resume}\n`);
  if (ownLines) return EXIT_CODES.usage;
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
  const session: Session = { activity: activity(io.stderr, io.stderrIsTTY), json: args.flags.has("json") };
  try {
    if (command === "models") return modelsCommand(args, io);
    if (command === "generate") return await generateCommand(args, io, session);
    if (command === "submit") return await submitCommand(args, io, session);
    if (command === "wait") return await waitCommand(args, io, session);
    if (command === "status") return await statusCommand(args, io, session);
    if (command === "batch") return await batchCommand(args, io, session);
    if (command === "fake-gateway") return await fakeGatewayCommand(args, io);
    const suggestion = closestField(command, Object.keys(COMMAND_FLAGS));
    throw new UsageError(
      `unknown command "${escapeControlCharacters(command)}"${suggestion ? `; did you mean "${suggestion}"?` : ""} (commands: generate, submit, status, wait, batch, models, fake-gateway)`,
    );
  } catch (error) {
    return report(error, io, session);
  } finally {
    session.activity.stop();
  }
}
