import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { checkItems } from "../batch/items.js";
import type { BatchProgress, BatchResult } from "../batch/run.js";
import type { Pixazo } from "../client.js";
import { checkWritable } from "../download/target-file.js";
import {
  APIError,
  ConnectionError,
  DownloadError,
  PixazoError,
  ValidationError,
  type ValidationIssue,
  WaitTimeoutError,
} from "../errors/errors.js";
import type { WebhookRegistration } from "../gateway/webhook-registration.js";
import { escapeControlCharacters } from "../internal/control-characters.js";
import { describeValue } from "../internal/describe-value.js";
import { elapsedText } from "./activity.js";
import { printableJson } from "./printable.js";

/** A batch file larger than this is refused: 1,000,000 lines of a few hundred bytes fit. */
const MAX_BATCH_FILE_BYTES = 512 * 1024 * 1024;

/** Lines listed in a summary, and in a refusal; the rest are counted. */
const MAX_LISTED = 50;

/** A problem with the command line, reported with exit code 2. */
export class BatchUsageError extends Error {}

/**
 * Reads a JSON Lines batch file and checks every line as `generateMany` will, before anything is
 * sent: one job a line, `{"model": …, "input": {…}, "name": …}`; blank lines at the end are
 * ignored, one in the middle is refused (line n is item n of the manifest).
 *
 * @throws {BatchUsageError} naming each bad line and field (the first 50).
 */
export async function readBatchFile(path: string): Promise<unknown[]> {
  const unreadable = (error: NodeJS.ErrnoException) => {
    throw new BatchUsageError(`cannot read the batch file ${shown(path)} (${error.code ?? "error"})`);
  };
  if ((await stat(path).catch(unreadable)).size > MAX_BATCH_FILE_BYTES) {
    throw new BatchUsageError(`the batch file is over ${MAX_BATCH_FILE_BYTES / 1024 / 1024} MiB; split it`);
  }
  const text = await readFile(path, "utf8").catch(unreadable);
  const lines = text
    .replace(/^\uFEFF/, "")
    .replace(/\s+$/, "")
    .split("\n");
  // Each problem with its line number (the batch as a whole after every line), listed in line order.
  const problems: { line: number; text: string }[] = [];
  const items = lines.map((raw, index) => {
    const line = raw.trim();
    if (line === "") {
      problems.push({
        line: index + 1,
        text: `line ${index + 1}: is blank (one job a line, no blank lines between them)`,
      });
      return undefined;
    }
    try {
      return JSON.parse(line) as unknown;
    } catch {
      problems.push({
        line: index + 1,
        text: `line ${index + 1}: is not JSON (one JSON object a line: {"model": …, "input": {…}})`,
      });
      return undefined;
    }
  });
  if (lines.length === 1 && lines[0] === "") throw new BatchUsageError("the batch file has no lines");
  try {
    checkItems(items);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const issue of error.issues) {
      const index = issue.path[1];
      if (typeof index === "number" && items[index] === undefined) continue;
      problems.push({ line: typeof index === "number" ? index + 1 : Number.POSITIVE_INFINITY, text: lineIssue(issue) });
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line);
    const listed = problems.slice(0, MAX_LISTED).map((problem) => `  ${problem.text}`);
    if (problems.length > MAX_LISTED) listed.push(`  and ${problems.length - MAX_LISTED} more`);
    throw new BatchUsageError(`the batch file has bad lines; nothing was sent:\n${listed.join("\n")}`);
  }
  return items;
}

/** `line 3: input.duration: must be one of … (received 7); allowed: …` */
function lineIssue(issue: ValidationIssue): string {
  const [first, index, ...field] = issue.path;
  if (first !== "items") return shown(`${issue.path.join(".")}: ${issue.message}`);
  const where = typeof index === "number" ? `line ${index + 1}` : "the batch";
  const received = "received" in issue ? ` (received ${describeValue(issue.received)})` : "";
  const allowed = issue.allowed ? `; allowed: ${issue.allowed}` : "";
  return shown(`${where}: ${field.length > 0 ? `${field.join(".")}: ` : ""}${issue.message}${received}${allowed}`);
}

/** What a batch run needs from the command line. */
export interface BatchRun {
  readonly file: string;
  readonly out: string;
  readonly manifest: string;
  readonly concurrency: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly webhook: WebhookRegistration | undefined;
  readonly resubmitHeld: boolean;
  readonly json: boolean;
  /** The command line that reruns this batch. */
  readonly rerun: string;
}

/** Where the batch writes, and what it prints. */
export interface BatchIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
  readonly signal: AbortSignal;
}

/**
 * Runs the batch and prints as it goes: on a terminal one redrawn summary line, elsewhere one
 * line per change of a line's state; at the end a summary of the lines that need a person.
 * Returns the exit code: 0 every line saved, 4 a completed job's media not saved, 1 any other
 * line not saved (failed, held, refused, unfinished), 3 the batch stopped on a refusal every
 * submit would meet (a 401, 402, 403, an unreachable gateway), 130 interrupted.
 *
 * @throws {BatchUsageError} for a bad file, `--out`, or a manifest of another batch; nothing is sent.
 */
export async function runBatchCommand(client: Pixazo, run: BatchRun, io: BatchIO): Promise<number> {
  const items = await readBatchFile(run.file);
  await checkWritable(join(run.out, ".pixazo-ltx-write-check")).catch((error: unknown) => {
    throw error instanceof ValidationError
      ? new BatchUsageError(`--out ${shown(run.out)} cannot be written to`)
      : error;
  });
  const startedAt = Date.now();
  const names = items.map((item) => (item as { name?: unknown }).name);
  const lineLabel = (line: number) => {
    const name = names[line - 1];
    return `line ${line}${typeof name === "string" ? ` (${shown(name)})` : ""}`;
  };
  const show = progressPrinter(io, startedAt, lineLabel);
  const results: BatchResult[] = [];
  let stoppedBy: unknown;
  try {
    for await (const result of client.generateMany(items as never, {
      out: run.out,
      manifest: run.manifest,
      concurrency: run.concurrency,
      timeoutMs: run.timeoutMs,
      webhook: run.webhook,
      resubmitHeld: run.resubmitHeld,
      signal: io.signal,
      onProgress: show.progress,
    })) {
      results.push(result);
      show.result(result);
      // stdout: every line's result with --json, else every saved file, this run's or an earlier one's.
      const out = run.json ? [printableJson(resultJson(result), true)] : result.files.map((file) => shown(file.path));
      if (out.length > 0) show.aside(() => io.stdout(`${out.join("\n")}\n`));
    }
  } catch (error) {
    // Refused before anything was sent (another batch's manifest, an unreadable one): bad usage.
    if (error instanceof ValidationError && results.length === 0) {
      const another = error.issues.some((issue) => issue.message.includes("another batch's"))
        ? "\n(each batch keeps its manifest in its --out: give this one its own --out, or --manifest)"
        : "";
      throw new BatchUsageError(
        `nothing was sent:\n${error.issues.map((issue) => `  ${lineIssue(issue)}`).join("\n")}${another}`,
      );
    }
    stoppedBy = error;
  } finally {
    show.stop();
  }
  io.stderr(summary(results, Date.now() - startedAt, lineLabel, run.manifest));
  if (stoppedBy !== undefined || io.signal.aborted) {
    const why = io.signal.aborted
      ? "interrupted: nothing more was sent; jobs already submitted keep running on the gateway"
      : `stopped: ${escapeControlCharacters(stoppedBy instanceof Error ? stoppedBy.message : "unknown error", { keepNewlines: stoppedBy instanceof ValidationError })}`;
    io.stderr(`${why}\nresume with: ${shown(run.rerun)}\n`);
    return io.signal.aborted ? 130 : 3;
  }
  const count = (outcome: BatchResult["outcome"]) => results.filter((result) => result.outcome === outcome).length;
  if (count("saved") === results.length) return 0;
  if (count("not-saved") > 0) {
    io.stderr(`save the media of the completed jobs with: ${shown(run.rerun)}\n`);
    return 4;
  }
  if (count("unfinished") > 0 || count("not-sent") > 0) io.stderr(`resume with: ${shown(run.rerun)}\n`);
  return 1;
}

/** A result for `--json`: the line, its outcome, job, files and error in plain words. */
function resultJson(result: BatchResult): Record<string, unknown> {
  return {
    line: result.line,
    name: result.name ?? null,
    outcome: result.outcome,
    request_id: result.requestId ?? null,
    status: result.job?.status ?? null,
    saved_files: result.files.map((file) => file.path),
    error: result.error instanceof Error ? result.error.message : null,
    earlier: result.earlier,
  };
}

function progressPrinter(io: BatchIO, startedAt: number, lineLabel: (line: number) => string) {
  let label: string | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    if (label !== undefined) io.stderr(`\r\u001b[K${label} · ${elapsedText(Date.now() - startedAt)}`);
  };
  /** Prints a line of its own: on a terminal the redrawn line is cleared first, and drawn again below. */
  const aside = (print: () => void) => {
    if (io.isTTY && label !== undefined) io.stderr("\r\u001b[K");
    print();
    if (io.isTTY) draw();
  };
  return {
    aside,
    progress(progress: BatchProgress) {
      label = counts(progress);
      const change = progress.change;
      if (!io.isTTY) {
        // One line per change; a line's end (saved, failed…) is printed with its result.
        if (change?.state === "submitted")
          io.stderr(`${lineLabel(change.line)}: submitted ${shown(change.request_id)}\n`);
        if (change?.state === "completed") io.stderr(`${lineLabel(change.line)}: completed\n`);
        return;
      }
      draw();
      timer ??= setInterval(draw, 1_000);
      timer.unref?.();
    },
    /**
     * A line's end in this run: off a terminal each one; on a terminal those that need a person.
     * Lines never sent because the batch stopped are left to the summary.
     */
    result(result: BatchResult) {
      if (result.earlier || result.outcome === "pending") return;
      if (io.isTTY && (result.outcome === "saved" || result.outcome === "completed")) return;
      aside(() => io.stderr(`${lineLabel(result.line)}: ${outcomeText(result)}\n`));
    },
    stop() {
      if (timer) clearInterval(timer);
      if (io.isTTY && label !== undefined) io.stderr("\n");
      label = undefined;
    },
  };
}

function counts(progress: BatchProgress): string {
  const parts = [
    `${progress.done}/${progress.total} done`,
    `${progress.running} running`,
    `${progress.queued} queued`,
    progress.failed > 0 ? `${progress.failed} failed` : "",
    progress.held > 0 ? `${progress.held} held` : "",
    progress.unfinished > 0 ? `${progress.unfinished} unfinished` : "",
    progress.remainingMs === undefined ? "" : `about ${elapsedText(progress.remainingMs + 999)} left`,
  ];
  return `batch      ${parts.filter(Boolean).join(" · ")}`;
}

/** Why a line did not end well, in the command's words: the kind of failure, not the library's advice. */
function reason(error: unknown): string {
  if (error instanceof WaitTimeoutError) return "not finished within --timeout";
  if (error instanceof ConnectionError) return "no connection to the gateway";
  if (error instanceof APIError)
    return `the gateway answered ${error.status}${error.gatewayError ? ` (${excerpt(error.gatewayError)})` : ""}`;
  if (error instanceof DownloadError || error instanceof PixazoError) return excerpt(error.message);
  return "interrupted";
}

/** What happened to a line, starting with its outcome: the file, or why not and what comes next. */
function outcomeText(result: BatchResult): string {
  const job = result.requestId ? `job ${shown(result.requestId)}` : "its job";
  switch (result.outcome) {
    case "saved":
      return `saved ${result.files.map((file) => shown(file.path)).join(", ")}`;
    case "completed":
      return `completed, ${job}`;
    case "failed":
      return `failed: ${job} ended ${shown(result.job?.status ?? "FAILED")}${result.job?.error ? ` (${excerpt(result.job.error)})` : ""}; never sent again`;
    case "held":
      return "held: its submit may have reached the gateway, and no request id came back";
    case "not-sent":
      return `not sent: ${reason(result.error)}; a rerun sends it`;
    case "not-saved":
      return `not saved: ${job} completed, its media could not be saved (${reason(result.error)}); a rerun saves it`;
    case "unfinished":
      return `unfinished: ${job} ${result.error instanceof WaitTimeoutError ? "did not finish within --timeout" : `is still running (${reason(result.error)})`}; a rerun waits for it`;
    case "pending":
      return "pending: never sent, the batch stopped first; a rerun sends it";
  }
}

/** `3`, `3–7`, `3–7, 9` for line numbers in order. */
function lineRanges(lines: readonly number[]): string {
  const ranges: string[] = [];
  for (let index = 0; index < lines.length; ) {
    let end = index;
    while (end + 1 < lines.length && (lines[end + 1] as number) === (lines[end] as number) + 1) end++;
    ranges.push(end === index ? `${lines[index]}` : `${lines[index]}–${lines[end]}`);
    index = end + 1;
  }
  return ranges.join(", ");
}

/**
 * The end of a run: a table of what the lines came to, then the lines that need a person (the
 * lines never sent in one row), and for held and failed lines what a person can do.
 */
function summary(
  results: readonly BatchResult[],
  ms: number,
  lineLabel: (line: number) => string,
  manifest: string,
): string {
  const by = new Map<string, number>();
  for (const result of results) by.set(result.outcome, (by.get(result.outcome) ?? 0) + 1);
  const table = [...by].map(([outcome, count]) => `  ${outcome.padEnd(11)}${String(count).padStart(7)}`);
  const attention = results
    .filter((result) => result.outcome !== "saved" && result.outcome !== "completed")
    .sort((a, b) => a.line - b.line);
  const pending = attention.filter((result) => result.outcome === "pending").map((result) => result.line);
  const each = attention.filter((result) => result.outcome !== "pending");
  const rows = each.slice(0, MAX_LISTED).map((result) => `  ${lineLabel(result.line)}: ${outcomeText(result)}`);
  if (each.length > MAX_LISTED) rows.push(`  and ${each.length - MAX_LISTED} more`);
  if (pending.length > 0)
    rows.push(
      `  line${pending.length > 1 ? "s" : ""} ${lineRanges(pending)}: never sent; a rerun sends ${pending.length > 1 ? "them" : "it"}`,
    );
  const help: string[] = [];
  if (by.has("held")) {
    help.push(
      `a held line may have a job at the gateway: if it has, append {"line": <n>, "state": "submitted", "request_id": "<its id>"} to ${shown(manifest)} and rerun; if not, rerun with --resubmit-held`,
    );
  }
  if (by.has("failed")) {
    help.push(
      `to send a failed line once more, append {"line": <n>, "state": "not-sent"} to ${shown(manifest)} and rerun`,
    );
  }
  const head = `batch of ${results.length} line${results.length === 1 ? "" : "s"} in ${elapsedText(ms)}`;
  return `${[head, ...table, ...(rows.length > 0 ? ["needs attention:", ...rows] : []), ...help].join("\n")}\n`;
}

/** Text from the gateway or the user, fit for one terminal line. */
function shown(text: string): string {
  return escapeControlCharacters(text);
}

/** A text from elsewhere, on one line and at most 160 characters. */
function excerpt(text: string): string {
  const line = shown(text.replace(/\s+/g, " "));
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
