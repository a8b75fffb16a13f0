import { cpus, totalmem } from "node:os";

/** The median of some numbers (the middle run of several). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The value below which `p` of the values fall (0 < p < 1). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** A markdown table from rows of the same keys. */
export function table(rows: Record<string, string>[]): string {
  const columns = Object.keys(rows[0] ?? {});
  return [
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${columns.map((column) => row[column] ?? "").join(" | ")} |`),
  ].join("\n");
}

/** What the numbers were measured on. */
export function machine(): string {
  const cpu = cpus();
  return `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}`;
}

/**
 * A bound a figure must keep: said beside the table, and a breach fails `npm run bench` (exit
 * code 1) once every table is printed, so a regression is seen, never only read past.
 */
export function guard(what: string, value: number, bound: string, holds: boolean): string {
  if (!holds) process.exitCode = 1;
  return `${holds ? "Guard holds" : "GUARD BROKEN"}: ${what} ${value.toFixed(2)}, bound ${bound}.`;
}
