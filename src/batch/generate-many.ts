import { stat } from "node:fs/promises";
import * as z from "zod/mini";
import { type DownloadContext, downloadAll } from "../download/download.js";
import { removeLeftoverParts } from "../download/target-file.js";
import { boolean, callback, checkOptions, hasMethods, numberFrom, option, text } from "../options/checks.js";
import { type BatchItem, checkItems } from "./items.js";
import { type BatchManifest, memoryManifest } from "./manifest.js";
import { fileManifest } from "./manifest-file.js";
import { type BatchJobs, type BatchProgress, type BatchResult, runBatch } from "./run.js";

/*
 * `client.generateMany()`, loaded on its first call (see runtime/node-only.ts): a program that
 * never runs a batch, and the build for Fetch runtimes, carry none of it.
 */

/** The batch's own options (with those of each job's wait, see `GenerateManyOptions`). */
export interface BatchOptions {
  /**
   * Jobs under way at once (submitted and not finished).
   * @default 4
   */
  concurrency?: number | undefined;
  /**
   * A folder to save each completed job's media in, named after the item's `name` (or
   * `line-<n>`); created if missing. Without it nothing is saved and results carry the job.
   * @default undefined
   */
  out?: string | undefined;
  /**
   * Where the batch records each line's state, so a rerun resumes: a file path (JSON Lines), or
   * your own {@link BatchManifest}.
   * @default `<out>/batch.jsonl` with `out`; otherwise kept in memory, and a rerun starts afresh
   */
  manifest?: string | BatchManifest | undefined;
  /**
   * Sends again the lines held because their submit may have reached the gateway with no id
   * back. Only once a person has checked that no job exists for them: each may be paid twice.
   * @default false
   */
  resubmitHeld?: boolean | undefined;
  /**
   * Stops submitting; waits and saves stop at once, and a submit already sent finishes so its id
   * is kept. Lines left come as `unfinished` or `pending`, and the iteration ends.
   */
  signal?: AbortSignal | undefined;
  /** Called at every change of a line's state with the batch's counts and estimate. Its errors are ignored. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
}

/** What a batch borrows from the client that runs it: its submit and wait, its download context. */
export interface BatchClient extends Pick<BatchJobs, "submit" | "wait"> {
  /** Checks the options the client owns (each wait's, the webhook) and the key; sends nothing. */
  check(): void;
  downloads(): DownloadContext;
}

/** The batch's own options, each checked before anything is sent. */
const BATCH_OPTIONS = z.object({
  concurrency: numberFrom(1, 1000, "an integer from 1 to 1000", { integer: true }),
  out: text("a folder path"),
  manifest: option(
    (value) => (typeof value === "string" && value !== "") || hasMethods(value, "read", "append"),
    "is neither a file path nor a manifest",
    "a file path, or an object with read() and append(record)",
    false,
  ),
  resubmitHeld: boolean,
  onProgress: callback,
});

/**
 * The batch behind `client.generateMany()`: every option and item checked before anything is
 * sent, then {@link runBatch} over the manifest, saving into `out` under each item's stem.
 */
export async function* generateMany(
  client: BatchClient,
  items: Iterable<BatchItem>,
  options: BatchOptions,
): AsyncGenerator<BatchResult, void, undefined> {
  checkOptions(BATCH_OPTIONS, options);
  client.check();
  const checked = checkItems([...items]);
  const { out } = options;
  const path = options.manifest ?? (out === undefined ? undefined : `${out.replace(/[\\/]+$/, "")}/batch.jsonl`);
  const manifest = path === undefined ? memoryManifest() : typeof path === "string" ? await fileManifest(path) : path;
  // The partial files a killed run left for this batch's names go first.
  if (out !== undefined) await removeLeftoverParts(out, new Set(checked.map(({ stem }) => stem)));
  yield* runBatch(
    {
      submit: client.submit,
      wait: client.wait,
      stillSaved: async (files) => {
        for (const file of files) if ((await stat(file.path).catch(() => undefined))?.size !== file.bytes) return false;
        return true;
      },
      save:
        out === undefined
          ? undefined
          : async (job, item, signal) => {
              const files = await downloadAll(client.downloads(), job, out, { signal }, item.stem);
              return files.map(({ path, bytes }) => ({ path, bytes }));
            },
    },
    checked,
    manifest,
    {
      concurrency: options.concurrency ?? 4,
      resubmitHeld: options.resubmitHeld === true,
      signal: options.signal,
      onProgress: options.onProgress,
    },
  );
}
