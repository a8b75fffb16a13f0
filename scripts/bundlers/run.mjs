// `npm run smoke:bundlers`: the recipes of docs/runtimes-and-bundlers.md, built and run. Each of
// esbuild, webpack, Rollup and Vite bundles a Node app (a generate and a download against the
// fake gateway, run under Node) and a Worker (the package's Fetch-runtime build, chosen by the
// export conditions; the bundle must hold no `node:` import and no undici, and its generate runs
// against the fake gateway on the runtime's `fetch`). Prints one line per build; exits non-zero
// on any failure.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import commonjs from "@rollup/plugin-commonjs";
import nodeResolve from "@rollup/plugin-node-resolve";
import { build as esbuild } from "esbuild";
import { rollup } from "rollup";
import { build as vite } from "vite";
import webpack from "webpack";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
// An app's own folder, outside this repository, so no bundler meets the repository's tsconfig
// paths or package.json; the package is installed in it by name (a link to this built clone).
const work = mkdtempSync(join(tmpdir(), "pixazo-bundlers-"));
mkdirSync(join(work, "node_modules"), { recursive: true });
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "bundled-app", private: true, type: "module" }));
// The package as an app has it: installed by name, its published files copied in (a link would
// resolve outside node_modules, and Vite would then bundle it as the app's own code).
const installed = join(work, "node_modules", "pixazo-ltx");
for (const file of ["package.json", "dist"]) cpSync(join(root, file), join(installed, file), { recursive: true });
// npm installs the package's dependency undici beside it.
symlinkSync(join(root, "node_modules", "undici"), join(work, "node_modules", "undici"), "dir");
for (const file of ["node-app.mjs", "worker-app.mjs"]) await copyFile(join(here, file), join(work, file));
const WORKER_CONDITIONS = ["workerd", "worker", "browser"];

/** The recipes: what each bundler needs for a Node build and for a Worker build. */
const recipes = {
  esbuild: {
    // undici stays a package import: inside an ESM bundle its CommonJS cannot require Node's builtins.
    node: (entry, outfile) =>
      esbuild({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        external: ["undici"],
        logLevel: "error",
      }),
    worker: (entry, outfile) =>
      esbuild({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: "browser",
        format: "esm",
        conditions: WORKER_CONDITIONS,
        logLevel: "error",
      }),
  },
  webpack: {
    node: (entry, outfile) =>
      pack({
        target: "node20",
        entry,
        output: outputOf(outfile),
        externals: { undici: "module undici" },
        externalsType: "module",
      }),
    worker: (entry, outfile) =>
      pack({
        target: "webworker",
        entry,
        output: outputOf(outfile),
        resolve: { conditionNames: [...WORKER_CONDITIONS, "import", "default"] },
      }),
  },
  rollup: {
    // undici stays a package import: @rollup/plugin-commonjs hoists its lazy require("node:sqlite").
    node: (entry, outfile) =>
      roll(entry, outfile, {
        external: (id) => id === "undici" || id.startsWith("node:"),
        plugins: [nodeResolve({ exportConditions: ["node"] }), commonjs()],
      }),
    worker: (entry, outfile) =>
      roll(entry, outfile, { plugins: [nodeResolve({ browser: true, exportConditions: WORKER_CONDITIONS })] }),
  },
  vite: {
    // An SSR build leaves packages as imports, as a server build should.
    node: (entry, outfile) => viteBuild(entry, outfile, { ssr: { target: "node" } }),
    worker: (entry, outfile) =>
      viteBuild(entry, outfile, {
        ssr: { target: "webworker", noExternal: true },
        resolve: { conditions: WORKER_CONDITIONS },
      }),
  },
};

function outputOf(outfile) {
  return { path: work, filename: outfile.slice(work.length + 1), module: true, library: { type: "module" } };
}

function pack(config) {
  return new Promise((resolve, reject) =>
    webpack(
      { mode: "production", experiments: { outputModule: true }, optimization: { minimize: false }, ...config },
      (error, stats) => {
        if (error || stats?.hasErrors()) reject(error ?? new Error(stats?.toString("errors-only")));
        else resolve();
      },
    ),
  );
}

async function roll(entry, outfile, options) {
  const bundle = await rollup({ input: entry, onwarn: () => {}, ...options });
  await bundle.write({ file: outfile, format: "es", inlineDynamicImports: true });
  await bundle.close();
}

function viteBuild(entry, outfile, options) {
  return vite({
    root: work,
    logLevel: "error",
    configFile: false,
    ...options,
    build: {
      ssr: entry,
      outDir: work,
      emptyOutDir: false,
      rollupOptions: { output: { entryFileNames: outfile.slice(work.length + 1), codeSplitting: false } },
    },
  });
}

const { startFakeGateway } = await import(pathToFileURL(join(root, "dist", "testing.js")).href);
// A Node build must keep undici (its pool, the proxy settings): the SDK warns when it cannot load it.
const warnings = [];
process.on("warning", (warning) => warnings.push(warning.message));
let failed = false;
for (const [bundler, recipe] of Object.entries(recipes)) {
  for (const kind of ["node", "worker"]) {
    const outfile = join(work, `${bundler}-${kind}.mjs`);
    try {
      await recipe[kind](join(work, `${kind}-app.mjs`), outfile);
      const text = readFileSync(outfile, "utf8");
      const app = await import(pathToFileURL(outfile).href);
      let result;
      if (kind === "node") {
        // Vite's server build leaves packages as imports, as the guide says; the others bundle them.
        const imported = /from\s*["']pixazo-ltx["']/.test(text);
        if (imported !== (bundler === "vite"))
          throw new Error(`pixazo-ltx ${imported ? "left" : "not left"} an import`);
        const before = warnings.length;
        result = await app.run();
        if (warnings.length > before) throw new Error(`warned: ${warnings.slice(before).join("; ")}`);
      } else {
        if (/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](?:node:|undici)/.test(text)) {
          throw new Error("the Worker bundle imports a node: module or undici");
        }
        const gateway = await startFakeGateway();
        try {
          result = await app.run(gateway.url);
        } finally {
          await gateway.close();
        }
      }
      if (result.status !== "COMPLETED") throw new Error(`job ended ${result.status}`);
      console.log(JSON.stringify({ ok: true, bundler, kind, kiB: Math.round(text.length / 1024), ...result }));
    } catch (error) {
      failed = true;
      console.log(JSON.stringify({ ok: false, bundler, kind, error: String(error?.message ?? error).slice(0, 600) }));
    }
  }
}
rmSync(work, { recursive: true, force: true });
if (failed) process.exit(1);
