import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, rename, rmdir, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { DownloadError, ValidationError } from "../errors/errors.js";
import { FileSink } from "./file-sink.js";

/** Longest file name most file systems accept (ext4, APFS, NTFS: 255 bytes or code units). */
export const MAX_FILE_NAME_BYTES = 255;
/** Bytes of the target's name kept in its partial file's name, leaving room for the suffixes. */
const PARTIAL_STEM_BYTES = 200;

/** The longest prefix of `text` of at most `limit` UTF-8 bytes, never cutting a character. */
export function truncateUtf8(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  let kept = "";
  let size = 0;
  for (const character of text) {
    size += Buffer.byteLength(character);
    if (size > limit) break;
    kept += character;
  }
  return kept;
}

function unwritable(filePath: string, message: string, cause?: unknown): ValidationError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new ValidationError([
    {
      path: ["filePath"],
      message: code ? `${message} (${code})` : message,
      received: filePath,
      allowed: "a file path in a folder this process can write to",
    },
  ]);
}

/**
 * The file a download assembles: a hidden partial file beside the target, renamed into place
 * only when complete. Everything it created (the partial file, and any folders made for it) is
 * removed again by `discard`, so a failed download leaves nothing behind.
 */
export class PartialFile {
  /** Absolute path of the finished file. */
  readonly target: string;
  /** Absolute path of the partial file. */
  readonly path: string;
  /** The outermost folder created for the target, removed again on `discard` if still empty. */
  readonly #createdFolder: string | undefined;
  /**
   * Open for the whole download: a body's first bytes are read as soon as its headers are in,
   * never after a file system round trip.
   */
  #handle: FileHandle | undefined;

  private constructor(target: string, path: string, createdFolder: string | undefined) {
    this.target = target;
    this.path = path;
    this.#createdFolder = createdFolder;
  }

  /**
   * Checks the target and creates the partial file, with any missing parent folders.
   *
   * @throws {ValidationError} when the target is a folder, its name is too long, or its folder
   * cannot be created or written to. Nothing is left behind.
   */
  static async create(filePath: string): Promise<PartialFile> {
    if (typeof filePath !== "string" || filePath.trim() === "") {
      throw new ValidationError([
        { path: ["filePath"], message: "is not a file path", received: filePath, allowed: "a non-empty path" },
      ]);
    }
    const target = resolve(filePath);
    const name = basename(target);
    if (Buffer.byteLength(name) > MAX_FILE_NAME_BYTES) {
      throw unwritable(filePath, `has a file name of ${Buffer.byteLength(name)} bytes, over ${MAX_FILE_NAME_BYTES}`);
    }
    const existing = await stat(target).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      if (error.code === "ENOTDIR") throw unwritable(filePath, "has a file, not a folder, on its path", error);
      throw unwritable(filePath, "cannot be reached", error);
    });
    if (existing?.isDirectory()) throw unwritable(filePath, "is a folder; name a file inside it");
    const folder = dirname(target);
    const createdFolder = await makeFolders(folder).catch((error: unknown) => {
      throw unwritable(filePath, "is in a folder that cannot be created", error);
    });
    const partialName = `.${truncateUtf8(name, PARTIAL_STEM_BYTES)}.${randomBytes(4).toString("hex")}.part`;
    const file = new PartialFile(target, join(folder, partialName), createdFolder);
    try {
      // "wx": a fresh file of our own, never one that happens to exist under that name.
      file.#handle = await open(file.path, "wx");
    } catch (error) {
      await file.#removeCreatedFolders();
      throw unwritable(filePath, "is in a folder this process cannot write to", error);
    }
    return file;
  }

  /**
   * Writes from byte `start` on; bytes before it stay. A body written from zero over an earlier
   * attempt's bytes leaves them beyond its end until `commit` cuts the file to its length.
   */
  sinkAt(start: number): FileSink {
    if (!this.#handle) throw new Error("the partial file is closed");
    return new FileSink(this.#handle, start);
  }

  /** Cuts the file to `bytes` and moves it into place, replacing any file of that name. */
  async commit(context: { url: string; requestId: string | undefined; bytes: number }): Promise<void> {
    try {
      await this.#handle?.truncate(context.bytes);
      await this.#close();
      await rename(this.path, this.target);
    } catch (error) {
      throw new DownloadError({
        message: `The finished download could not be saved as ${this.target} (${(error as NodeJS.ErrnoException).code})`,
        url: context.url,
        bytesReceived: context.bytes,
        requestId: context.requestId,
        cause: error,
      });
    }
  }

  /** Removes the partial file and the folders created for it (those still empty). */
  async discard(): Promise<void> {
    await this.#close().catch(() => {});
    await unlink(this.path).catch(() => {});
    await this.#removeCreatedFolders();
  }

  async #close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  async #removeCreatedFolders(): Promise<void> {
    if (this.#createdFolder === undefined) return;
    // From the innermost folder out to the first one created; rmdir refuses a folder that is not
    // empty, which stops the walk where other files live.
    for (let folder = dirname(this.target); ; folder = dirname(folder)) {
      try {
        await rmdir(folder);
      } catch {
        return;
      }
      if (folder === this.#createdFolder || dirname(folder) === folder) return;
    }
  }
}

/**
 * Creates `folder` and its missing parents, one level at a time from the nearest one that
 * exists, and returns the outermost folder created (`undefined` when none was). Node's recursive
 * `mkdir` never settles on a path whose parent exists but refuses children (under `/proc` it
 * alternates ENOENT and EEXIST for ever); here each level is tried once, so the walk is bounded
 * by the path's depth and fails with the file system's own code.
 */
export async function makeFolders(folder: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    const found = await stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (found?.isDirectory()) break;
    if (found) throw Object.assign(new Error(`${current} is not a folder`), { code: "ENOTDIR" });
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing) {
    await mkdir(path).catch(async (error: NodeJS.ErrnoException) => {
      // Made meanwhile by someone else (another download into the same new folder): fine.
      if (error.code !== "EEXIST" || !(await stat(path)).isDirectory()) throw error;
    });
  }
  return missing[0];
}

/**
 * Checks that a download could be saved to `filePath` (the folder can be created and written
 * to, the target is not a folder), by creating its partial file and removing it again with any
 * folder made for it.
 *
 * @throws {ValidationError} as {@link PartialFile.create}.
 */
export async function checkWritable(filePath: string): Promise<void> {
  const file = await PartialFile.create(filePath);
  await file.discard();
}

/**
 * Removes the partial files a killed process left in `folder` for files named from one of
 * `stems` (`<stem>.<ext>`, `<stem>-<n>.<ext>`): a process that dies cannot clean up after itself,
 * and a batch rerun would otherwise leave one `.part` file per kill. Other files are never touched.
 */
export async function removeLeftoverParts(folder: string, stems: ReadonlySet<string>): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const target = /^\.(.+)\.[0-9a-f]{8}\.part$/.exec(name)?.[1]?.replace(/\.[A-Za-z0-9]{1,5}$/, "");
    // `line-11` is a stem, and the 11th file of `line` too: either way the file is the batch's.
    if (target !== undefined && (stems.has(target) || stems.has(target.replace(/-\d+$/, "")))) {
      await unlink(join(folder, name)).catch(() => {});
    }
  }
}
