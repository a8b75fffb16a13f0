/**
 * The folder layout as a map that holds: no folder imports a folder that imports it back (type-only
 * imports included), the job's types sit at the bottom, and the features that push events
 * (webhooks, redis) do not reach into the wait.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));

/** Which folders of src/ each folder imports from ("." for the files at the top). */
function folderImports(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const folderOf = (path: string) => {
    const parts = relative(src, path).split("/");
    return parts.length > 1 ? (parts[0] ?? ".") : ".";
  };
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith(".ts")) {
        const from = folderOf(path);
        // Static, dynamic and required imports alike, and `#node-only` (package.json "imports").
        for (const [, spec] of readFileSync(path, "utf8").matchAll(
          /(?:from |import\(|require\()"(\.[^"]+|#node-only)"/g,
        )) {
          const to = spec === "#node-only" ? "runtime" : folderOf(normalize(join(dirname(path), spec ?? "")));
          if (to === from) continue;
          if (!edges.has(from)) edges.set(from, new Set());
          edges.get(from)?.add(to);
        }
      }
    }
  };
  visit(src);
  return edges;
}

it("has no folder that imports a folder importing it back", () => {
  const edges = folderImports();
  const cycles = [...edges].flatMap(([from, tos]) =>
    [...tos].filter((to) => edges.get(to)?.has(from) && from < to).map((to) => `${from} <-> ${to}`),
  );
  expect(cycles).toEqual([]);
});

it("keeps job/ and internal/ at the bottom, and webhooks/ and redis/ out of polling/", () => {
  const edges = folderImports();
  expect([...(edges.get("job") ?? [])]).toEqual([]);
  expect([...(edges.get("internal") ?? [])]).toEqual([]);
  expect(edges.get("webhooks")?.has("polling")).toBeFalsy();
  expect(edges.get("redis")?.has("polling")).toBeFalsy();
});
