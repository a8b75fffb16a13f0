/**
 * The module format of the build the code runs in, set by the build (tsup `define`); absent when
 * the sources run as they are (tests, tsx). The CommonJS build loads its lazy parts with
 * `require`: an `import()` in CommonJS fails where the host has no ES module loader, as in Jest's
 * CommonJS sandbox ("A dynamic import callback was invoked without --experimental-vm-modules").
 *
 * Each loader tests `typeof PIXAZO_BUILD_FORMAT !== "undefined" && PIXAZO_BUILD_FORMAT === "cjs"`
 * itself, where it loads: the bundler folds that to a constant there and leaves the other branch
 * out, so the ES module build keeps its lazy chunks and never meets the `require`.
 */
declare global {
  const PIXAZO_BUILD_FORMAT: "esm" | "cjs" | undefined;
}

export {};
