// The published types carry the fields' documentation: the packed tarball is installed into a
// scratch consumer project, and the TypeScript language service is asked what an editor shows
// when hovering fields, as a user sees it. Each must show its description (and its default).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pixazo-types-"));
try {
  const [pack] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], {
      cwd: root,
      encoding: "utf8",
    }),
  );
  const modules = join(scratch, "node_modules");
  mkdirSync(join(modules, "pixazo-ltx"), { recursive: true });
  execFileSync("tar", [
    "-xzf",
    join(scratch, pack.filename),
    "-C",
    join(modules, "pixazo-ltx"),
    "--strip-components=1",
  ]);
  // The package's own dependencies, as an install would place them.
  for (const dependency of ["zod", "undici"])
    symlinkSync(join(root, "node_modules", dependency), join(modules, dependency));

  // Each case: a line of consumer code, the word hovered, and what its documentation must say.
  const cases = [
    [
      `const a: InputOf<"ltx-2-3-text-to-video"> = { prompt: "x", duration: 6 };`,
      "duration",
      /Duration of the generated video/,
      "6",
    ],
    [
      `const b: InputOf<"ltx-2-3-image-to-video"> = { image_url: "", prompt: "x", fps: 25 };`,
      "fps",
      /Frames per second/,
      "25",
    ],
    [
      `void client.ltx23.textToVideo({ prompt: "x", aspect_ratio: "9:16" });`,
      "aspect_ratio",
      /aspect ratio/i,
      '"16:9"',
    ],
    [
      `const c: InputOf<"ltx-2-19b-api-513"> = { prompt: "x", image_url: "", video_size: "auto" };`,
      "video_size",
      /512x512/,
    ],
    [
      `void client.submit("ltx-2-video-api-581", { prompt: "x", image_url: "", resolution: "720p" });`,
      "resolution",
      /resolution/i,
      '"1080p"',
    ],
    [`declare const job: JobStatus; void job.completed_at;`, "completed_at", /terminal status/],
  ];
  const source = [
    `import { type InputOf, type JobStatus, Pixazo } from "pixazo-ltx";`,
    `const client = new Pixazo({ apiKey: "k" });`,
    ...cases.map(([line]) => line),
  ].join("\n");
  const file = join(scratch, "consumer.ts");
  writeFileSync(file, source);
  const options = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    types: [],
  };
  const service = ts.createLanguageService({
    getScriptFileNames: () => [file],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      try {
        return ts.ScriptSnapshot.fromString(readFileSync(name, "utf8"));
      } catch {
        return undefined;
      }
    },
    getCurrentDirectory: () => scratch,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (settings) => ts.getDefaultLibFilePath(settings),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    realpath: ts.sys.realpath,
  });
  const errors = service.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (errors.length > 0) throw new Error(`the consumer does not type-check:\n${errors.join("\n")}`);
  for (const [line, word, description, defaultValue] of cases) {
    const position = source.indexOf(line) + line.indexOf(word) + 1;
    const info = service.getQuickInfoAtPosition(file, position);
    const shown = ts.displayPartsToString(info?.documentation ?? []);
    const tags = Object.fromEntries((info?.tags ?? []).map((tag) => [tag.name, ts.displayPartsToString(tag.text)]));
    if (!description.test(shown) || (defaultValue !== undefined && tags.default !== defaultValue)) {
      throw new Error(`hovering ${word} in \`${line}\` shows ${JSON.stringify({ shown, tags })}`);
    }
  }
  console.log(`types: ${cases.length} hovered fields show their documentation in a consumer of the packed tarball`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
