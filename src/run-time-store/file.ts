import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { MAX_STORED_BYTES, type RunTimeStore } from "./format.js";

/**
 * A run-time store over a file (see `format.ts`), loaded on first use like the other
 * Node-only code. The file is an outsider's: only a regular file is read (opened without blocking,
 * so a FIFO or a device at the path cannot hold the process) and only when its size is within
 * bounds; nothing but a regular file (or nothing) is ever written over. Writes are atomic: a
 * temporary file beside the target, flushed, renamed over it. A missing file loads as nothing.
 *
 * @throws from `load` and `save` when the path holds something other than a small regular file.
 */
export function fileRunTimeStore(path: string): RunTimeStore {
  return {
    async load() {
      let file: Awaited<ReturnType<typeof open>>;
      try {
        file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      try {
        checkSize(await file.stat());
        const buffer = Buffer.alloc(MAX_STORED_BYTES + 1);
        const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
        if (bytesRead > MAX_STORED_BYTES) throw new Error(`larger than ${MAX_STORED_BYTES} bytes`);
        return buffer.toString("utf8", 0, bytesRead);
      } finally {
        await file.close();
      }
    },
    async save(text) {
      checkSize(await stat(path).catch(() => undefined));
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      const file = await open(temporary, "w", 0o600);
      try {
        await file.writeFile(text, "utf8");
        await file.sync();
      } finally {
        await file.close();
      }
      try {
        await rename(temporary, path);
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw error;
      }
    },
  };
}

/** Refuses anything at the path but a regular file within the size bound (nothing is fine). */
function checkSize(info: { isFile(): boolean; size: number } | undefined): void {
  if (info === undefined) return;
  if (!info.isFile()) throw new Error("the path is not a regular file");
  if (info.size > MAX_STORED_BYTES) throw new Error(`larger than ${MAX_STORED_BYTES} bytes`);
}
