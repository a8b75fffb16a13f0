import { DownloadError, ValidationError } from "../errors/errors.js";
import { UndecodableBodyError } from "../http/transport.js";
import { backoffDelayMs } from "../internal/backoff.js";
import { callIsolated } from "../internal/isolated.js";
import { linkSignals } from "../internal/signals.js";
import { MAX_TIMER_MS, sleep } from "../internal/sleep.js";
import { copyInto, type FileSink } from "./file-sink.js";
import type { MediaGet } from "./media-http.js";
import { type MediaSource, printableUrl, urlScrubber } from "./media-source.js";
import { type FileIdentity, judge } from "./resume.js";
import { PartialFile } from "./target-file.js";

/** Progress of a download, for progress bars. */
export interface DownloadProgress {
  /** Bytes on disk so far. */
  readonly bytes: number;
  /** The full size, when the media host announced it. */
  readonly totalBytes: number | undefined;
}

/** Options of `client.download()`. */
export interface DownloadOptions {
  /** Aborts the download at once; the partial file is removed and the promise rejects with the reason. */
  signal?: AbortSignal | undefined;
  /**
   * Called after every chunk received. A throw from it is ignored (the first is reported once as
   * a process warning): it cannot fail or restart the download; abort with `signal` instead.
   */
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /**
   * Which of the job's `output.media_url` entries to download.
   * @default 0
   */
  index?: number | undefined;
  /**
   * Longest silence from the media host, in milliseconds: waiting this long for the response
   * headers, or for the next bytes of the body, ends the attempt, which then resumes (or
   * restarts) like a dropped connection. There is no limit on the whole download, which may be
   * gigabytes; bound it with `signal`.
   * @default the client's `requestTimeoutMs` (30000)
   */
  stallTimeoutMs?: number | undefined;
}

/** A finished download. */
export interface DownloadResult {
  /** Absolute path of the file written. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The media host's `Content-Type`, if it sent one. */
  readonly contentType: string | undefined;
}

/** Everything one download needs besides its source and target. */
export interface DownloadContext {
  readonly get: MediaGet;
  /** Attempts in a row that may fail without bringing more of the file to disk, minus one. */
  readonly maxRetries: number;
  /** The default of `stallTimeoutMs`. */
  readonly stallTimeoutMs: number;
}

/**
 * Most attempts one download makes, progress or not: a host that drops every connection after
 * a few bytes ends in a `DownloadError`, not in a loop.
 */
export const MAX_DOWNLOAD_ATTEMPTS = 100;

/** Why an attempt ended without the file: the next attempt resumes, restarts, or gives up. */
class AttemptFailure {
  constructor(
    readonly error: DownloadError,
    /** Retrying cannot help: a refusal such as 404, a full disk, an undecodable body. */
    readonly final = false,
  ) {}
}

/**
 * Streams a media URL to `filePath`, one chunk in memory at a time, into a partial file renamed
 * into place only once complete: of the announced length where one was announced, and made of
 * parts that provably belong to one version of the file (see `resume.ts`). A dropped connection
 * or a stall resumes with `Range` where the host allows it, otherwise restarts. Attempts that
 * bring the file further do not count against `maxRetries`; at most
 * {@link MAX_DOWNLOAD_ATTEMPTS} are made in all.
 *
 * @throws {ValidationError} before any request when the target cannot be written.
 * @throws {DownloadError} when the host refuses, or attempts without progress run out.
 * @throws the signal's reason on abort. In every failure the partial file is removed.
 */
export async function downloadToFile(
  context: DownloadContext,
  source: MediaSource,
  filePath: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const stallTimeoutMs = options.stallTimeoutMs ?? context.stallTimeoutMs;
  if (!Number.isInteger(stallTimeoutMs) || stallTimeoutMs < 1 || stallTimeoutMs > MAX_TIMER_MS) {
    throw new ValidationError([
      {
        path: ["options", "stallTimeoutMs"],
        message: "is out of range",
        received: stallTimeoutMs,
        allowed: `an integer from 1 to ${MAX_TIMER_MS} (milliseconds)`,
      },
    ]);
  }
  options.signal?.throwIfAborted();
  const file = await PartialFile.create(filePath);
  const state: DownloadState = { bytes: 0, identity: undefined, contentType: undefined };
  const signal = options.signal;
  let furthest = 0;
  let failuresInARow = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const failure = await receive(context.get, source, file, state, { ...options, stallTimeoutMs });
      if (failure === undefined) {
        if (state.identity?.totalBytes === undefined || state.bytes === state.identity.totalBytes) break;
        // A 206 that served less than the rest: ask for what remains.
        if (attempt < MAX_DOWNLOAD_ATTEMPTS) continue;
        throw new DownloadError({
          message: `The media host sent the file in more than ${MAX_DOWNLOAD_ATTEMPTS} parts`,
          url: printableUrl(source.url),
          bytesReceived: state.bytes,
          requestId: source.requestId,
        });
      }
      // Attempts that bring more of the file to disk than ever before are not failures to count,
      // and the next one starts at once; only attempts in a row without progress wait and count.
      const progressed = state.bytes > furthest;
      if (progressed) {
        furthest = state.bytes;
        failuresInARow = 0;
      }
      if (failure.final) throw failure.error;
      if (attempt >= MAX_DOWNLOAD_ATTEMPTS) {
        throw new DownloadError({
          message: `${failure.error.message} (gave up after ${attempt} attempts)`,
          url: failure.error.url,
          bytesReceived: state.bytes,
          requestId: source.requestId,
          cause: failure.error,
        });
      }
      if (!progressed) {
        if (failuresInARow >= context.maxRetries) throw failure.error;
        await sleep(backoffDelayMs(failuresInARow), signal);
        failuresInARow += 1;
      }
    }
    await file.commit({ url: printableUrl(source.url), requestId: source.requestId, bytes: state.bytes });
    return { path: file.target, bytes: state.bytes, contentType: state.contentType };
  } catch (error) {
    await file.discard();
    throw error;
  }
}

/** What the attempts so far have established. */
interface DownloadState {
  /**
   * Bytes of the file on disk, from its first byte, that the next attempt continues from. Bytes
   * after them (left by an attempt that was started over) are overwritten or cut off at commit.
   */
  bytes: number;
  /** The file being assembled, as its last full response described it. */
  identity: FileIdentity | undefined;
  contentType: string | undefined;
}

/** Ends an attempt when the host stays silent too long; fed on every chunk. */
class StallWatch {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  constructor(readonly ms: number) {
    this.#timer = setTimeout(() => this.#controller.abort(new Error("stalled")), ms);
  }
  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  get fired(): boolean {
    return this.#controller.signal.aborted;
  }
  feed(): void {
    this.#timer.refresh();
  }
  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * One attempt: a request for the whole file or for its rest, its response judged, its body
 * written. Updates `state`; returns why the file is not complete, or nothing when the body
 * ended as announced.
 */
async function receive(
  get: MediaGet,
  source: MediaSource,
  file: PartialFile,
  state: DownloadState,
  options: DownloadOptions & { stallTimeoutMs: number },
): Promise<AttemptFailure | undefined> {
  const scrub = urlScrubber(source.url);
  const fail = (message: string, extra: { status?: number; cause?: unknown } = {}) =>
    new DownloadError({
      message: scrub(message),
      url: printableUrl(source.url),
      bytesReceived: state.bytes,
      requestId: source.requestId,
      status: extra.status,
      cause: extra.cause === undefined ? undefined : scrubbedError(extra.cause, scrub),
    });
  /** Writing failed: a full disk or a vanished folder will not improve on a retry. */
  const diskFailure = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return new AttemptFailure(fail(`Writing ${file.path} failed (${code})`, { cause: error }), true);
  };
  const resume =
    state.identity?.resumable && state.bytes > 0 ? { offset: state.bytes, identity: state.identity } : undefined;
  const headers: Record<string, string> = {};
  if (resume?.identity.validator) {
    headers.range = `bytes=${resume.offset}-`;
    headers["if-range"] = resume.identity.validator.value;
  }
  const watch = new StallWatch(options.stallTimeoutMs);
  const linked = linkSignals(options.signal, watch.signal);
  let sink: FileSink | undefined;
  try {
    if (!resume) state.bytes = 0;
    const response = await get(source.url, headers, linked.signal);
    const verdict = judge(response, resume);
    if (verdict.kind === "refused") {
      await response.discard();
      return new AttemptFailure(
        fail(`The media host answered ${verdict.status} for ${printableUrl(source.url)}`, { status: verdict.status }),
        !isTransient(verdict.status),
      );
    }
    if (verdict.kind === "unusable") {
      await response.discard();
      state.identity = undefined; // Start over: the next request asks for the whole file.
      return new AttemptFailure(fail(`The media host sent ${verdict.reason}; the download starts over`));
    }
    let end: number | undefined;
    if (verdict.kind === "whole") {
      state.bytes = 0;
      state.identity = verdict.identity;
      state.contentType = response.header("content-type");
      end = verdict.identity.totalBytes;
    } else {
      end = verdict.end;
      if (state.identity) state.identity = { ...state.identity, totalBytes: verdict.totalBytes };
    }
    const start = state.bytes;
    sink = file.sinkAt(start);
    const totalBytes = state.identity?.totalBytes;
    const onProgress = options.onProgress;
    let received = start;
    try {
      await copyInto(response.body, sink, (chunk) => {
        watch.feed();
        received += chunk.byteLength;
        // A progress display that fails must not fail (or retry) the download.
        if (onProgress) callIsolated("The onProgress callback", () => onProgress({ bytes: received, totalBytes }));
      });
    } finally {
      // Whatever arrived before a dropped connection is on disk (copyInto waits for it), and the
      // next attempt continues exactly where the file ends.
      state.bytes = start + sink.bytesWritten;
    }
    if (end !== undefined && state.bytes > end) {
      state.identity = undefined;
      return new AttemptFailure(
        fail(`The media body ran past its announced end (${end} bytes); the download starts over`),
      );
    }
    if (end !== undefined && state.bytes < end) {
      return new AttemptFailure(fail(`The media body ended at ${state.bytes} of ${end} bytes`));
    }
    return undefined;
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (sink?.error !== undefined) return diskFailure(sink.error);
    if (error instanceof UndecodableBodyError) return new AttemptFailure(fail(error.message), true);
    if (watch.fired) {
      return new AttemptFailure(fail(`The media host sent nothing for ${watch.ms} ms`, { cause: error }));
    }
    return new AttemptFailure(
      fail(
        `The media download was interrupted at ${state.bytes} of ${state.identity?.totalBytes ?? "?"} bytes: ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      ),
    );
  } finally {
    watch.stop();
    linked.dispose();
  }
}

function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The error as given, or, when its message or stack quotes the URL's secret parts, a copy
 * without them (same name and code), so a `DownloadError`'s `cause` is as safe to log as it is.
 */
function scrubbedError(error: unknown, scrub: (text: string) => string): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? scrub(error) : error;
  const stack = error.stack ?? "";
  if (scrub(error.message) === error.message && scrub(stack) === stack) return error;
  const copy = new Error(scrub(error.message));
  copy.name = error.name;
  copy.stack = scrub(stack);
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
