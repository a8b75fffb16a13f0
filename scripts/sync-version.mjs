// Writes src/internal/version.ts from package.json, so the published version and the User-Agent come from
// one place. Runs on `npm version` (the "version" script) and before every build.
import { readFileSync, writeFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const target = new URL("../src/internal/version.ts", import.meta.url);
const source = `// Generated from package.json by scripts/sync-version.mjs: do not edit.
/** The SDK's version, sent in the \`User-Agent\` header. */
export const VERSION = "${version}";
`;
if (readFileSync(target, "utf8") !== source) {
  writeFileSync(target, source);
  console.log(`src/internal/version.ts: ${version}`);
}
