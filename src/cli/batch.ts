import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { checkItems } from "../batch/items.js";
import type { BatchProgress, BatchResult } from "../batch/run.js";
import type { Pixazo } from "../client.js";
import { checkWritable } from "../download/target-file.js";
import { describeValue, ValidationError, type ValidationIssue } from "../errors/errors.js";
import type { WebhookRegistration } from "../gateway/webhook-registration.js";
import { escapeControlCharacters } from "../internal/control-characters.js";
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
  const problems: string[] = [];
  const items = lines.map((raw, index) => {
    const line = raw.trim();
    if (line === "") {
      problems.push(`line ${index + 1}: is blank (one job a line, no blank lines between them)`);
      return undefined;
    }
    try {
      return JSON.parse(line) as unknown;
    } catch {
      problems.push(`line ${index + 1}: is not JSON (one JSON object a line: {"model": …, "input": {…}})`);
      return undefined;
    }
  });
  if (lines.length === 1 && lines[0] === "") throw new BatchUsageError("the batch file has no lines");
  try {
    checkItems(items);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const issue of error.issues) {
      if (typeof issue.path[1] === "number" && items[issue.path[1]] === undefined) continue;
      problems.push(lineIssue(issue));
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
    const listed = problems.slice(0, MAX_LISTED).map((problem) => `  ${problem}`);
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
  const show = progressPrinter(io, startedAt, (line) => {
    const name = names[line - 1];
    return `line ${line}${typeof name === "string" ? ` (${shown(name)})` : ""}`;
  });
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
      if (run.json) io.stdout(`${printableJson(resultJson(result), true)}\n`);
      else if (!result.earlier) for (const file of result.files) io.stdout(`${shown(file.path)}\n`);
    }
  } catch (error) {
    // Refused before anything was sent (another batch's manifest, an unreadable one): bad usage.
    if (error instanceof ValidationError && results.length === 0) {
      throw new BatchUsageError(
        `nothing was sent:\n${error.issues.map((issue) => `  ${lineIssue(issue)}`).join("\n")}`,
      );
    }
    stoppedBy = error;
  } finally {
    show.stop();
  }
  io.stderr(summary(results, Date.now() - startedAt));
  if (stoppedBy !== undefined || io.signal.aborted) {
    const why = io.signal.aborted
      ? "interrupted: nothing more was sent; jobs already submitted keep running on the gateway"
      : `stopped: ${escapeControlCharacters(stoppedBy instanceof Error ? stoppedBy.message : "unknown error", { keepNewlines: true })}`;
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
  return {
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
    /** A line's end: off a terminal each one; on a terminal those that need a person, above the summary. */
    result(result: BatchResult) {
      if (result.earlier) return;
      const text = `${lineLabel(result.line)}: ${outcomeText(result)}`;
      if (!io.isTTY) io.stderr(`${text}\n`);
      else if (result.outcome !== "saved" && result.outcome !== "completed") {
        io.stderr(`\r\u001b[K${text}\n`);
        draw();
      }
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
    progress.remainingMs === undefined ? "" : `about ${elapsedText(progress.remainingMs + 999)} left`,
  ];
  return `batch      ${parts.filter(Boolean).join(" · ")}`;
}

/** What happened to a line, in words: the file, or why not and what a person can do. */
function outcomeText(result: BatchResult): string {
  const job = result.requestId ? ` ${shown(result.requestId)}` : "";
  const why = result.error instanceof Error ? `: ${excerpt(result.error.message)}` : "";
  switch (result.outcome) {
    case "saved":
      return `saved ${result.files.map((file) => shown(file.path)).join(", ")}`;
    case "completed":
      return `completed${job}`;
    case "failed":
      return `job${job} ended ${shown(result.job?.status ?? "FAILED")}${why}; not sent again`;
    case "held":
      return "held: its submit may have reached the gateway and no id came back; check for its job before rerunning with --resubmit-held";
    case "not-sent":
      return `not sent${why}; a rerun sends it`;
    case "not-saved":
      return `job${job} completed, its media not saved${why}; a rerun saves it`;
    case "unfinished":
      return `job${job} not finished here${why}; a rerun waits for it`;
    case "pending":
      return "not sent; a rerun sends it";
  }
}

/** The end of a run: a table of what the lines came to, then the lines that need a person. */
function summary(results: readonly BatchResult[], ms: number): string {
  const by = new Map<string, number>();
  for (const result of results) by.set(result.outcome, (by.get(result.outcome) ?? 0) + 1);
  const table = [...by].map(([outcome, count]) => `  ${outcome.padEnd(11)}${String(count).padStart(7)}`);
  const attention = results
    .filter((result) => result.outcome !== "saved" && result.outcome !== "completed")
    .sort((a, b) => a.line - b.line);
  const rows = attention
    .slice(0, MAX_LISTED)
    .map((result) => `  line ${String(result.line).padEnd(6)} ${outcomeText(result)}`);
  if (attention.length > MAX_LISTED) rows.push(`  and ${attention.length - MAX_LISTED} more`);
  const head = `batch of ${results.length} lines in ${elapsedText(ms)}`;
  return `${[head, ...table, ...(rows.length > 0 ? ["needs attention:", ...rows] : [])].join("\n")}\n`;
}

/** Text from the gateway or the user, fit for one terminal line. */
function shown(text: string): string {
  return escapeControlCharacters(text);
}

/** An error's message, on one line and at most 160 characters. */
function excerpt(text: string): string {
  const line = shown(text.replace(/\s+/g, " "));
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
