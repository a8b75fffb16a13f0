import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { USER_AGENT } from "../src/gateway/exchange.js";
import { VERSION } from "../src/internal/version.js";

it("reports the package.json version in VERSION and the User-Agent", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  expect(VERSION).toBe(pkg.version);
  expect(USER_AGENT.startsWith(`pixazo-ltx/${pkg.version} (node/`)).toBe(true);
});
