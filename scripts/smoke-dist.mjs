// Loads the built package the way users do, by name, through both entry points of its
// `exports` map, and makes one real status read against a loopback server.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const esm = await import("pixazo-ltx");
const cjs = createRequire(import.meta.url)("pixazo-ltx");

const esmNames = Object.keys(esm).sort();
const cjsNames = Object.keys(cjs).sort();
if (JSON.stringify(esmNames) !== JSON.stringify(cjsNames)) {
  throw new Error(`ESM and CJS exports differ:\n${esmNames}\n${cjsNames}`);
}
for (const name of ["Pixazo", "PixazoError", "ValidationError", "GenerationFailedError", "MODELS"]) {
  if (!(name in esm)) throw new Error(`missing export ${name}`);
}

const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ request_id: req.url.split("/").pop(), status: "PROCESSING", error: null, output: null }));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
for (const [kind, sdk] of [["esm", esm], ["cjs", cjs]]) {
  const client = new sdk.Pixazo({ apiKey: "smoke", baseUrl });
  const status = await client.status("ltx-2-3-text-to-video_smoke");
  if (status.status !== "PROCESSING") throw new Error(`${kind}: unexpected status ${JSON.stringify(status)}`);
  await client.close();
}
server.close();

// A plain CommonJS process, as a require() user has it.
execFileSync(process.execPath, ["-e", "const { Pixazo, VERSION } = require('pixazo-ltx'); if (typeof Pixazo !== 'function') process.exit(1); console.log('cjs ok', VERSION);"], { stdio: "inherit" });
console.log(`esm ok, ${esmNames.length} exports`);
