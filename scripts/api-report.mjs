// The public surface of every entry point, as API Extractor reports it from the built types, in
// api/<entry>.api.md. `npm run api:check` (CI) fails when the surface differs from the checked-in
// report, so a change to it is a reviewed diff; `npm run api:update` rewrites the reports.
import { execFileSync } from "node:child_process";

const ENTRIES = ["index", "webhooks", "schemas", "testing", "redis"];
const update = process.argv.includes("--update");
for (const entry of ENTRIES) {
  const args = ["api-extractor", "run", "-c", `api/${entry}.api-extractor.json`];
  if (update) args.push("--local");
  try {
    execFileSync("npx", args, { stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    process.stderr.write(error.stdout?.toString() ?? "");
    throw new Error(
      `the public surface of "${entry}" differs from api/${entry}.api.md: review the change, then run npm run api:update`,
    );
  }
}
console.log(`api: ${ENTRIES.length} entry points match their reports`);
