import { open, readFile, truncate } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { makeFolders } from "../download/target-file.js";
import { ValidationError } from "../errors/errors.js";
import { MAX_REQUEST_ID_LENGTH } from "../job/status.js";
import type { BatchManifest, BatchRecord } from "./manifest.js";

const STATES: ReadonlySet<string> = new Set([
  "submitting",
  "submitted",
  "not-sent",
  "uncertain",
  "completed",
  "saved",
  "failed",
]);

/**
 * The manifest as a JSON Lines file: each record appended, then flushed to the disk
 * (`fdatasync`) before `append` resolves.
 *
 * A process killed while writing leaves at most its last line cut short. That line is no
 * record, and its change had not happened yet (the batch waits for each record before it acts),
 * so opening the file drops it. Any other line that is not a record is refused rather than
 * guessed at.
 *
 * @throws {ValidationError} when the file cannot be read, written or created, or holds a line
 * that is not a batch record.
 */
export async function fileManifest(path: string): Promise<BatchManifest> {
  const file = resolve(path);
  const problem = (message: string) =>
    new ValidationError([{ path: ["manifest"], message, allowed: "a batch manifest file this process can write" }]);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw problem(`cannot be read (${error.code ?? "error"})`);
  });
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  const records = complete
    .split("\n")
    .slice(0, -1)
    .map((line, index) => parseRecord(line, index + 1, problem));
  await makeFolders(dirname(file)).catch((error: NodeJS.ErrnoException) => {
    throw problem(`is in a folder that cannot be created (${error.code ?? "error"})`);
  });
  if (complete.length < text.length) await truncate(file, Buffer.byteLength(complete));
  const handle = await open(file, "a").catch((error: NodeJS.ErrnoException) => {
    throw problem(`cannot be opened for writing (${error.code ?? "error"})`);
  });
  // One write and flush at a time, in the order the batch appends.
  let last: Promise<void> = Promise.resolve();
  return {
    read: async () => records,
    append(record) {
      const written = last.then(async () => {
        await handle.write(`${JSON.stringify(record)}\n`);
        await handle.datasync();
      });
      last = written.catch(() => {});
      return written;
    },
    async close() {
      await last;
      await handle.close();
    },
  };
}

function parseRecord(line: string, number: number, problem: (message: string) => ValidationError): BatchRecord {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    throw problem(`has a line (${number}) that is not JSON`);
  }
  // A person may append a record by hand (a held line's job, found on the dashboard): checked
  // as far as the batch relies on it.
  const { line: itemLine, state, request_id: requestId } = (record ?? {}) as Record<string, unknown>;
  const needsId = state !== "submitting" && state !== "not-sent" && state !== "uncertain";
  if (
    !Number.isSafeInteger(itemLine) ||
    (itemLine as number) < 1 ||
    typeof state !== "string" ||
    !STATES.has(state) ||
    (needsId && !(typeof requestId === "string" && requestId.length > 0 && requestId.length <= MAX_REQUEST_ID_LENGTH))
  ) {
    throw problem(`has a line (${number}) that is not a batch record`);
  }
  return record as BatchRecord;
}
