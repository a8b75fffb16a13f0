import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { RunTimeStore } from "./run-time-store.js";

/**
 * A run-time store over a file (see `run-time-store.ts`), loaded on first use like the other
 * Node-only code. Writes are atomic: the text goes to a temporary file beside the target, is
 * flushed, and renamed over it, so a reader (another process, a crash) sees the old file or the
 * new one, never half of one. A missing file loads as nothing.
 */
export function fileRunTimeStore(path: string): RunTimeStore {
  return {
    async load() {
      try {
        return await readFile(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async save(text) {
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
