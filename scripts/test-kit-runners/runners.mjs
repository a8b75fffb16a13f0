// The test files of each runner: a few lines each registering scenarios.mjs. Written into the
// scratch projects by run.mjs; `register` is each runner's way of declaring a test.
const each = (register, extra = "") => `for (const [name, run] of Object.entries(scenarios)) ${register};\n${extra}`;

/** Output without its colours. */
const plain = (output) => output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");

/** How many tests a runner reported as passed, from its summary line. */
export const PASSED = {
  jest: (output) => Number(/Tests:\s+(\d+) passed/.exec(output)?.[1] ?? 0),
  vitest: (output) => Number(/Tests\s+(?:\S+\s+)?(\d+) passed/.exec(plain(output))?.[1] ?? 0),
  node: (output) => Number(/^# pass (\d+)/m.exec(output)?.[1] ?? 0),
  bun: (output) => Number(/^\s*(\d+) pass$/m.exec(output)?.[1] ?? 0),
  deno: (output) => Number(/ok \| (\d+) passed/.exec(plain(output))?.[1] ?? 0),
  script: (output) => (output.includes("deno script done") ? 1 : 0),
  tsc: () => 0,
};

export const TEST_FILES = {
  // Jest, CommonJS: the test file and the scenarios in ES syntax, compiled to CommonJS by
  // babel-jest (babel.config.cjs) or ts-jest; pixazo-ltx is then require()d.
  "babel.test.js": `import { test } from "@jest/globals";\nimport { scenarios } from "./scenarios.esm.js";\n${each("test(name, run, 30_000)")}`,
  "ts.test.ts": `import { test } from "@jest/globals";\nimport type { CompletedJob } from "pixazo-ltx";\nimport { scenarios } from "./scenarios.esm.js";\nconst typed: ((job: CompletedJob) => string) | undefined = undefined;\nvoid typed;\n${each("test(name, run as () => Promise<void>, 30_000)")}`,
  // Jest with --experimental-vm-modules: ES modules as they are.
  "esm.test.mjs": `import { test } from "@jest/globals";\nimport { scenarios } from "./scenarios.mjs";\n${each("test(name, run, 30_000)")}`,
  // The scratch project's own vitest config, so none found above it applies.
  "vitest.config.mjs": `export default { test: { include: ["vitest.test.mjs"] } };\n`,
  "vitest.test.mjs": `import { test } from "vitest";\nimport { besideStrictMsw, scenarios } from "./scenarios.mjs";\n${each("test(name, run, 30_000)", 'test("beside a strict msw", besideStrictMsw, 30_000);\n')}`,
  "node.test.mjs": `import { test } from "node:test";\nimport { besideStrictMsw, scenarios } from "./scenarios.mjs";\n${each("test(name, run)", 'test("beside a strict msw", besideStrictMsw);\n')}`,
  "node.test.cjs": `const { test } = require("node:test");\nconst { scenarios } = require("./scenarios.cjs");\n${each("test(name, run)")}`,
  "bun.test.mjs": `import { test } from "bun:test";\nimport { besideStrictMsw, scenarios } from "./scenarios.mjs";\n${each("test(name, run, 30_000)", 'test("beside a strict msw", besideStrictMsw, 30_000);\n')}`,
  "deno.test.mjs": `import { scenarios } from "./scenarios.mjs";\n${each("Deno.test(name, run)")}`,
  // A plain Deno script: it must end by itself once its gateway and client are closed.
  "deno-script.mjs": `import { scenarios } from "./scenarios.mjs";\nawait scenarios["a generate, downloaded byte for byte, with no warning"]();\nconsole.log("deno script done");\n`,
};
