// Every TypeScript snippet of the README and the guides compiles against the package's types: each
// is written out as a module of its own and type-checked with the project's settings, the names a
// snippet leaves to its reader (a `client`, a finished `job`, a `receiver`) declared once in
// snippets/prelude.d.ts. A snippet cut from a file of examples/ (the framework mountings) is
// compiled there, in its context, by `npm run typecheck`, and run by the tests. A snippet that
// stops compiling fails CI, naming its page and line.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const pages = [
  "README.md",
  ...readdirSync("docs")
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name)),
];
const out = ".cache/snippets";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** The examples' text, each line unindented, to recognise a snippet cut from one of them. */
const unindent = (text) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .join("\n");
const examples = readdirSync("examples", { recursive: true })
  .filter((name) => String(name).endsWith(".ts"))
  .map((name) => unindent(readFileSync(join("examples", String(name)), "utf8")));

const origins = new Map();
let fromExamples = 0;
for (const page of pages) {
  const lines = readFileSync(page, "utf8").split("\n");
  for (let start = 0; start < lines.length; start++) {
    // Fences inside list items are indented: the snippet is read without the indent.
    const indent = /^( *)```ts$/.exec(lines[start] ?? "")?.[1];
    if (indent === undefined) continue;
    let end = start + 1;
    while (end < lines.length && lines[end] !== `${indent}\`\`\``) end++;
    const snippet = lines
      .slice(start + 1, end)
      .map((line) => line.slice(indent.length))
      .join("\n");
    if (examples.some((example) => example.includes(unindent(snippet)))) {
      fromExamples++;
      start = end;
      continue;
    }
    const name = `${page.replace(/[/.]/g, "_")}_${start + 1}.ts`;
    // `export {}` makes each a module, so its own declarations shadow the prelude's.
    writeFileSync(join(out, name), `${snippet}\nexport {};\n`);
    origins.set(name, `${page}:${start + 2}`);
    start = end;
  }
}
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    extends: "../../tsconfig.json",
    compilerOptions: { baseUrl: "../..", noEmit: true, noUnusedLocals: false, types: ["node"] },
    files: ["../../scripts/snippets/prelude.d.ts"],
    include: ["*.ts"],
    // The project's own check leaves the prelude out, so its names cannot hide a mistake there.
    exclude: [],
  }),
);
try {
  execFileSync("npx", ["tsc", "-p", join(out, "tsconfig.json")], { stdio: ["ignore", "pipe", "pipe"] });
} catch (error) {
  const report = (error.stdout?.toString() ?? "").replace(
    /[\w/.-]*?(\w+_md_\d+\.ts)\((\d+),(\d+)\)/g,
    (_, file, line) => {
      const [page, first] = (origins.get(file) ?? "?:0").split(":");
      return `${page}:${Number(first) + Number(line) - 1}`;
    },
  );
  throw new Error(`snippets that do not compile:\n${report}`);
}
console.log(
  `snippets: ${origins.size} TypeScript snippets of ${pages.length} pages compile here, ${fromExamples} more as part of examples/`,
);
