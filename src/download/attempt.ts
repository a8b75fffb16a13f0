import { DownloadError } from "../errors/errors.js";
import { UndecodableBodyError } from "../http/transport.js";
import { callIsolated } from "../internal/isolated.js";
import { linkSignals } from "../internal/signals.js";
import { copyInto, type FileSink } from "./file-sink.js";
import type { MediaGet } from "./media-http.js";
import { type MediaSource, printableUrl, urlScrubber } from "./media-source.js";
import { type FileIdentity, judge } from "./resume.js";
import type { PartialFile } from "./target-file.js";

/** What the attempts of one download so far have established. */
export interface DownloadState {
  /**
   * Bytes of the file on disk, from its first byte, that the next attempt continues from. Bytes
   * after them (left by an attempt that was started over) are overwritten or cut off at commit.
   */
  bytes: number;
  /** The file being assembled, as its last full response described it. */
  identity: FileIdentity | undefined;
  contentType: string | undefined;
}

/** Why an attempt ended without the file: the next attempt resumes, restarts, or gives up. */
export class AttemptFailure {
  constructor(
    readonly error: DownloadError,
    /** Retrying cannot help: a refusal such as 404, a full disk, an undecodable body. */
    readonly final = false,
  ) {}
}

/** What one attempt is given. */
export interface Attempt {
  readonly get: MediaGet;
  readonly source: MediaSource;
  readonly file: PartialFile;
  readonly state: DownloadState;
  readonly stallTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: { bytes: number; totalBytes: number | undefined }) => void) | undefined;
}

/**
 * One attempt: a request for the whole file or, when the last response allows, for its rest
 * (`Range` with `If-Range`); the response judged (see `resume.ts`); its body written where it
 * belongs. Updates `state`; returns why the file is not complete, or nothing when the body
 * ended as announced. A silence of `stallTimeoutMs` ends the attempt like a dropped connection.
 *
 * @throws the signal's reason on abort.
 */
export async function attempt({ get, source, file, state, ...options }: Attempt): Promise<AttemptFailure | undefined> {
  const fail = failureOf(source, state);
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
    if (verdict.kind === "refused" || verdict.kind === "unusable") {
      await response.discard();
      if (verdict.kind === "refused") {
        const message = `The media host answered ${verdict.status} for ${printableUrl(source.url)}`;
        return fail(message, { status: verdict.status, final: !isTransient(verdict.status) });
      }
      state.identity = undefined; // Start over: the next request asks for the whole file.
      return fail(`The media host sent ${verdict.reason}; the download starts over`);
    }
    if (verdict.kind === "whole") {
      state.bytes = 0;
      state.identity = verdict.identity;
      state.contentType = response.header("content-type");
    } else if (state.identity) {
      state.identity = { ...state.identity, totalBytes: verdict.totalBytes };
    }
    const end = verdict.kind === "whole" ? verdict.identity.totalBytes : verdict.end;
    const start = state.bytes;
    const totalBytes = state.identity?.totalBytes;
    const onProgress = options.onProgress;
    sink = file.sinkAt(start);
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
      return fail(`The media body ran past its announced end (${end} bytes); the download starts over`);
    }
    if (end !== undefined && state.bytes < end) return fail(`The media body ended at ${state.bytes} of ${end} bytes`);
    return undefined;
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (sink?.error !== undefined) {
      // Writing failed: a full disk or a vanished folder will not improve on a retry.
      const code = (sink.error as NodeJS.ErrnoException).code ?? (sink.error as Error).message;
      return fail(`Writing ${file.path} failed (${code})`, { cause: sink.error, final: true });
    }
    if (error instanceof UndecodableBodyError) return fail(error.message, { final: true });
    if (watch.fired) return fail(`The media host sent nothing for ${watch.ms} ms`, { cause: error });
    const at = `${state.bytes} of ${state.identity?.totalBytes ?? "?"} bytes`;
    const why = (error as Error)?.message ?? String(error);
    return fail(`The media download was interrupted at ${at}: ${why}`, { cause: error });
  } finally {
    watch.stop();
    linked.dispose();
  }
}

/**
 * Makes the failures of an attempt: a `DownloadError` whose message and cause are scrubbed of
 * the URL's secret parts (userinfo, query), with the bytes on disk when it is made.
 */
function failureOf(source: MediaSource, state: DownloadState) {
  const scrub = urlScrubber(source.url);
  return (message: string, extra: { status?: number; cause?: unknown; final?: boolean } = {}) =>
    new AttemptFailure(
      new DownloadError({
        message: scrub(message),
        url: printableUrl(source.url),
        bytesReceived: state.bytes,
        requestId: source.requestId,
        status: extra.status,
        cause: extra.cause === undefined ? undefined : scrubbedError(extra.cause, scrub),
      }),
      extra.final,
    );
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
