// The test kit in the test runners users have, against the package as npm would publish it:
// the built package is packed, installed into scratch projects (.cache/runners) with each runner
// from the npm registry, and a user-style suite (scenarios.mjs: a generate and its download, a
// failed job, a wait ended by a webhook delivery, and the same beside a strict msw where msw
// loads) runs under Jest 29 and 30 (CommonJS through babel-jest and ts-jest, and ESM), vitest,
// node --test (ESM and CommonJS), bun test, deno test and a plain Deno script that must end by
// itself. The published types are compiled by the oldest TypeScript the README states and the
// newest, with skipLibCheck off. One JSON line per run; exits non-zero if any failed.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PASSED, TEST_FILES } from "./runners.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = join(root, "scripts/test-kit-runners");
const work = join(root, ".cache/runners");
const runtimes = join(root, ".cache/runtimes/node_modules/.bin");
/** The oldest TypeScript the published types compile with (the README says so). */
const OLDEST_TYPESCRIPT = "5.4";

mkdirSync(work, { recursive: true });
const packed = JSON.parse(
  execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
    cwd: root,
    encoding: "utf8",
  }),
);
const tarball = join(work, packed[0].filename);

const scenarios = readFileSync(join(here, "scenarios.mjs"), "utf8");
/** The CommonJS twin of the scenarios, for require(): the same code, imports as requires. */
const commonJs =
  `${scenarios.slice(0, scenarios.indexOf("/** The webhook scenario inside"))}module.exports = { scenarios };\n`
    .replace(/^import (\w+) from "([^"]+)";$/gm, 'const $1 = require("$2");')
    .replace(/^import \{ ([^}]+) \} from "([^"]+)";$/gm, 'const { $1 } = require("$2");')
    .replace("export const scenarios", "const scenarios");

const PROJECTS = {
  jest29: {
    jest: "^29.7.0",
    "ts-jest": "^29.4.0",
    "@babel/preset-env": "^7.28.0",
    typescript: "~5.9.0",
    "@types/node": "^20.19.0",
  },
  jest30: {
    jest: "^30.0.0",
    "ts-jest": "^29.4.0",
    "@babel/preset-env": "^7.28.0",
    typescript: "~5.9.0",
    "@types/node": "^20.19.0",
  },
  others: { vitest: "^4.0.0", msw: "^2.9.0" },
  types: {
    "typescript-oldest": `npm:typescript@~${OLDEST_TYPESCRIPT}.0`,
    "typescript-newest": "npm:typescript@latest",
    "@types/node": "^20.19.0",
  },
};

function prepare(name, dependencies) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `runner-${name}`, private: true, dependencies }));
  writeFileSync(join(dir, "scenarios.mjs"), scenarios);
  writeFileSync(join(dir, "scenarios.esm.js"), scenarios);
  writeFileSync(join(dir, "scenarios.cjs"), commonJs);
  for (const [file, text] of Object.entries(TEST_FILES)) writeFileSync(join(dir, file), text);
  for (const file of ["babel.config.cjs", "tsconfig.json", "tsconfig.node10.json", "consumer.ts"])
    copyFileSync(join(here, file), join(dir, file));
  const npm = (args) =>
    execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
  npm(["install"]);
  // The tarball of this build, whatever an earlier run installed under the same version.
  rmSync(join(dir, "node_modules/pixazo-ltx"), { recursive: true, force: true });
  npm(["install", "--no-save", tarball]);
  return dir;
}

const dirs = Object.fromEntries(Object.entries(PROJECTS).map(([name, deps]) => [name, prepare(name, deps)]));
if (!existsSync(join(runtimes, "bun")) || !existsSync(join(runtimes, "deno"))) {
  throw new Error("bun and deno are missing from .cache/runtimes: run npm run smoke:runtimes first");
}

const jestConfig = (match, extra) => JSON.stringify({ testEnvironment: "node", testMatch: [`**/${match}`], ...extra });
const SCENARIOS = 3;
/** [label, command, args, project, how to count passed tests, how many must pass] */
const jest = (project, label, match, extra, nodeFlags = []) => [
  label,
  process.execPath,
  [...nodeFlags, "node_modules/jest/bin/jest.js", "--ci", "--config", jestConfig(match, extra)],
  dirs[project],
  PASSED.jest,
  SCENARIOS,
];
const RUNS = [
  ...["jest29", "jest30"].flatMap((project) => {
    const version = project.slice(4);
    return [
      jest(project, `jest ${version}, CommonJS (babel-jest)`, "babel.test.js", {
        transform: { "\\.js$": "babel-jest" },
      }),
      jest(project, `jest ${version}, CommonJS (ts-jest)`, "ts.test.ts", { preset: "ts-jest/presets/js-with-ts" }),
      jest(project, `jest ${version}, ESM`, "esm.test.mjs", { transform: {} }, ["--experimental-vm-modules"]),
    ];
  }),
  ["vitest", process.execPath, ["node_modules/vitest/vitest.mjs", "run"], dirs.others, PASSED.vitest, SCENARIOS + 1],
  ["node --test, ESM", process.execPath, ["--test", "node.test.mjs"], dirs.others, PASSED.node, SCENARIOS + 1],
  ["node --test, CommonJS", process.execPath, ["--test", "node.test.cjs"], dirs.others, PASSED.node, SCENARIOS],
  ["bun test", join(runtimes, "bun"), ["test", "./bun.test.mjs"], dirs.others, PASSED.bun, SCENARIOS + 1],
  [
    "deno test",
    join(runtimes, "deno"),
    ["test", "--allow-all", "--no-check", "deno.test.mjs"],
    dirs.others,
    PASSED.deno,
    SCENARIOS,
  ],
  [
    "deno script (ends by itself)",
    join(runtimes, "deno"),
    ["run", "--allow-all", "deno-script.mjs"],
    dirs.others,
    PASSED.script,
    1,
  ],
  [
    `types, TypeScript ${OLDEST_TYPESCRIPT} (skipLibCheck off)`,
    process.execPath,
    ["node_modules/typescript-oldest/bin/tsc", "-p", "."],
    dirs.types,
    PASSED.tsc,
    0,
  ],
  [
    // "module": "commonjs" resolves as node10 on TypeScript 5: the entries through typesVersions.
    `types, TypeScript ${OLDEST_TYPESCRIPT}, "module": "commonjs" (node10 resolution)`,
    process.execPath,
    ["node_modules/typescript-oldest/bin/tsc", "-p", "tsconfig.node10.json"],
    dirs.types,
    PASSED.tsc,
    0,
  ],
  [
    "types, newest TypeScript (skipLibCheck off)",
    process.execPath,
    ["node_modules/typescript-newest/bin/tsc", "-p", "."],
    dirs.types,
    PASSED.tsc,
    0,
  ],
];

let failed = 0;
for (const [label, command, args, cwd, countPassed, expected] of RUNS) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  const passed = countPassed(`${result.stdout ?? ""}${result.stderr ?? ""}`);
  // Exit 0 is not enough: a runner that found no test, or skipped some, must not count as a pass.
  const ok = result.status === 0 && passed === expected;
  const seconds = Number(((Date.now() - started) / 1000).toFixed(1));
  console.log(`  ${JSON.stringify({ runner: label, ok, passed, seconds })}`);
  if (!ok) {
    failed += 1;
    console.log(`${result.stdout ?? ""}${result.stderr ?? ""}`.split("\n").slice(-40).join("\n"));
  }
}
if (failed > 0) throw new Error(`${failed} of ${RUNS.length} runs failed (see above)`);
