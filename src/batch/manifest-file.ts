import { open, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
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
 * A process killed while writing leaves at most its last line cut short. Opening the file drops
 * that line, and the line's records before it still tell the truth: a cut `submitting` means the
 * submit was never sent (the batch sends only once the record is on disk), and a cut
 * `submitted` leaves the line `submitting`, held for a person, never sent again. Any other line
 * that is not a record is refused rather than guessed at.
 *
 * @throws {ValidationError} when the file cannot be read, written or created, holds a line that
 * is not a batch record, or is in use by another live process (see `takeLock`).
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
  const lock = await takeLock(join(dirname(file), `.${basename(file)}.lock`), problem);
  if (complete.length < text.length) await truncate(file, Buffer.byteLength(complete));
  const handle = await open(file, "a").catch(async (error: NodeJS.ErrnoException) => {
    await rm(lock, { force: true });
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
      await rm(lock, { force: true });
    },
  };
}

/**
 * Makes this process the manifest's only writer: two runs of one batch at once would each send
 * the lines the other has not recorded yet. The lock file holds the writer's process id; one left
 * by a process that died (killed, crashed) is taken over. Processes on one machine only: a pid
 * means nothing on another host sharing the folder.
 */
async function takeLock(path: string, problem: (message: string) => ValidationError): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: "wx" });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw problem(`cannot be locked (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      }
    }
    const holder = Number((await readFile(path, "utf8").catch(() => "")).trim());
    if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) {
      throw problem(`is in use by another run of the batch (process ${holder}); if none is running, delete ${path}`);
    }
    // Its writer is gone: the lock is stale.
    await rm(path, { force: true });
  }
  throw problem("cannot be locked: another run keeps taking it");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
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
