import type { DownloadProgress } from "../download/download.js";

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A download progress bar for a terminal: redrawn in place on a TTY, printed at start and end
 * otherwise so logs stay short.
 */
export function progressBar(
  write: (text: string) => void,
  isTTY: boolean,
): {
  update(progress: DownloadProgress): void;
  done(): void;
} {
  let last = "";
  let printedStart = false;
  const render = ({ bytes, totalBytes }: DownloadProgress): string => {
    if (!totalBytes) return `download  ${size(bytes)}`;
    const width = 24;
    const filled = Math.round((bytes / totalBytes) * width);
    const percent = Math.floor((bytes / totalBytes) * 100);
    return `download  [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}% ${size(bytes)} / ${size(totalBytes)}`;
  };
  return {
    update(progress) {
      last = render(progress);
      if (isTTY) write(`\r${last}`);
      else if (!printedStart) {
        printedStart = true;
        write(`download  started (${progress.totalBytes ? size(progress.totalBytes) : "size unknown"})\n`);
      }
    },
    done() {
      if (isTTY) write("\n");
      else if (last) write(`${last}\n`);
    },
  };
}
