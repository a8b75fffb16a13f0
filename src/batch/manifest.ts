import { ValidationError, type ValidationIssue } from "../errors/errors.js";
import type { CheckedItem } from "./items.js";

/*
 * The manifest is a log: one record per change of a line's state, appended and made durable
 * before the batch goes on. The record before a submit is durable before the submit is sent, and
 * the one after it as soon as the id is back, so whenever the process dies the log tells the
 * truth: a line with no record was never sent; one whose last record is `submitting` may have
 * been, and is held for a person; one with a `request_id` is waited on, never sent again.
 */

/** A saved file of a line. */
export interface SavedFile {
  /** Absolute path of the file. */
  readonly path: string;
  /** Its size in bytes. */
  readonly bytes: number;
}

/**
 * One change of a line's state, as the manifest keeps it (a JSON object a line in the file
 * store). `line` is the item's position counting from 1; `at` an ISO 8601 time.
 */
export type BatchRecord =
  /** About to submit (durable before the submit is sent): the line's model and fingerprint. */
  | {
      readonly line: number;
      readonly state: "submitting";
      readonly model: string;
      readonly fingerprint: string;
      readonly at: string;
    }
  /** The gateway accepted it: the job's id. */
  | { readonly line: number; readonly state: "submitted"; readonly request_id: string; readonly at: string }
  /** The submit provably never reached the gateway (refused, unreachable): a rerun sends it. */
  | { readonly line: number; readonly state: "not-sent"; readonly error: string; readonly at: string }
  /** The submit may have reached the gateway and no id came back: held for a person. */
  | { readonly line: number; readonly state: "uncertain"; readonly error: string; readonly at: string }
  /** The job completed (its media not yet saved). */
  | { readonly line: number; readonly state: "completed"; readonly request_id: string; readonly at: string }
  /** Its media is on disk, byte for byte. */
  | {
      readonly line: number;
      readonly state: "saved";
      readonly request_id: string;
      readonly files: readonly SavedFile[];
      readonly at: string;
    }
  /** The job ended `FAILED` or `ERROR`: never sent again. `error` is the gateway's (its first 1,000 characters). */
  | {
      readonly line: number;
      readonly state: "failed";
      readonly request_id: string;
      readonly status: string;
      readonly error: string | null;
      readonly at: string;
    };

/**
 * Where a batch keeps its records: a file by default (`manifest: "path"`), or your own store, for
 * example a table of your database. Records must come back from `read()` in the order appended.
 *
 * @example
 * ```ts
 * const manifest: BatchManifest = {
 *   read: async () => (await db.select("batch_records", { batch: "nightly" })).map((row) => row.record),
 *   append: async (record) => db.insert("batch_records", { batch: "nightly", record }),
 * };
 * ```
 */
export interface BatchManifest {
  /** Every record appended so far, oldest first; none for a new batch. */
  read(): Promise<readonly BatchRecord[]>;
  /** Keeps a record; resolves only once it would survive a crash of this process. */
  append(record: BatchRecord): Promise<void>;
  /** Releases what the store holds (a file handle). Called when the batch ends. */
  close?(): Promise<void>;
}

/** Where a line stands, from its records. */
export interface LineState {
  readonly last: BatchRecord["state"];
  readonly requestId: string | undefined;
  readonly fingerprint: string | undefined;
  readonly files: readonly SavedFile[];
}

/** The state of every line with a record, from the log, oldest record first. */
export function replay(records: readonly BatchRecord[]): Map<number, LineState> {
  const lines = new Map<number, LineState>();
  for (const record of records) {
    const before = lines.get(record.line);
    lines.set(record.line, {
      last: record.state,
      // A new submit starts a new job: the id of a job before it no longer stands for the line.
      requestId:
        "request_id" in record ? record.request_id : record.state === "submitting" ? undefined : before?.requestId,
      fingerprint: record.state === "submitting" ? record.fingerprint : before?.fingerprint,
      files: record.state === "saved" ? record.files : [],
    });
  }
  return lines;
}

/**
 * Refuses a manifest made for another batch: a line that reached the gateway (or may have) must
 * still be the same job, and no such line may have left the batch. Nothing is sent otherwise.
 *
 * @throws {ValidationError} naming each line at `["items", index]`.
 */
export function checkManifest(lines: ReadonlyMap<number, LineState>, items: readonly CheckedItem[]): void {
  const issues: ValidationIssue[] = [];
  for (const [line, state] of lines) {
    if (state.requestId === undefined && state.last !== "submitting" && state.last !== "uncertain") continue;
    const item = items[line - 1];
    if (item === undefined) {
      issues.push({
        path: ["items", line - 1],
        message: "is missing, yet the manifest records its job: this manifest is another batch's",
        allowed: "the batch the manifest was made for, or another manifest",
      });
    } else if (item.fingerprint !== state.fingerprint) {
      issues.push({
        path: ["items", line - 1],
        message: "changed since the manifest recorded its submit: this manifest is another batch's",
        allowed: "the item as it was submitted, or another manifest",
      });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 50));
}

/** A manifest in memory: the default without a `manifest`; nothing survives the process. */
export function memoryManifest(): BatchManifest {
  const records: BatchRecord[] = [];
  return {
    read: async () => [...records],
    append: async (record) => {
      records.push(record);
    },
  };
}
