// Loads the built package the way users do, by name, through every entry of its `exports` map
// (ESM and CJS, library and test kit), runs a job end to end against the built fake gateway,
// and runs the built command line.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const esm = await import("pixazo-ltx");
const cjs = require("pixazo-ltx");
const esmTesting = await import("pixazo-ltx/testing");
const cjsTesting = require("pixazo-ltx/testing");
const esmWebhooks = await import("pixazo-ltx/webhooks");
const cjsWebhooks = require("pixazo-ltx/webhooks");

const names = (module) => JSON.stringify(Object.keys(module).sort());
if (names(esm) !== names(cjs)) throw new Error(`ESM and CJS exports differ:\n${names(esm)}\n${names(cjs)}`);
if (names(esmTesting) !== names(cjsTesting)) throw new Error("ESM and CJS test kit exports differ");
if (names(esmWebhooks) !== names(cjsWebhooks)) throw new Error("ESM and CJS webhooks exports differ");
// The receiver's entry shares the library's classes, so instanceof holds across the two.
for (const [kind, sdk, webhooks] of [
  ["esm", esm, esmWebhooks],
  ["cjs", cjs, cjsWebhooks],
]) {
  for (const name of ["WebhookReceiver", "PixazoError", "WebhookPayloadError"]) {
    if (webhooks[name] === undefined || webhooks[name] !== sdk[name])
      throw new Error(`${kind}: pixazo-ltx/webhooks ${name} is not the library's own`);
  }
  try {
    webhooks.parseWebhook("{not json");
  } catch (error) {
    if (!(error instanceof sdk.PixazoError)) throw new Error(`${kind}: a webhooks error is not a PixazoError`);
  }
}
console.log(`webhooks entry ok: ${Object.keys(esmWebhooks).length} exports, the library's own classes`);

// The schemas load by name in both module systems and check as the client does.
const esmSchemas = await import("pixazo-ltx/schemas");
const cjsSchemas = require("pixazo-ltx/schemas");
if (names(esmSchemas) !== names(cjsSchemas)) throw new Error("ESM and CJS schemas exports differ");
for (const schemas of [esmSchemas, cjsSchemas]) {
  if (schemas.ltx23TextToVideoInput.safeParse({ prompt: "x", duration: 7 }).success)
    throw new Error("pixazo-ltx/schemas took a duration of 7");
}
console.log(`schemas entry ok: ${Object.keys(esmSchemas).length} exports`);

// The Redis companion loads by name in both module systems, without either Redis client installed
// by the package itself, and refuses what is not a Redis client.
const esmRedis = await import("pixazo-ltx/redis");
const cjsRedis = require("pixazo-ltx/redis");
if (names(esmRedis) !== names(cjsRedis)) throw new Error("ESM and CJS redis exports differ");
for (const [redis, sdk] of [
  [esmRedis, esm],
  [cjsRedis, cjs],
]) {
  try {
    redis.redisDeliveryStore({});
    throw new Error("pixazo-ltx/redis took an object that is not a Redis client");
  } catch (error) {
    if (!(error instanceof sdk.ValidationError)) throw error;
  }
}
console.log(`redis entry ok: ${Object.keys(esmRedis).join(", ")}`);

const dir = mkdtempSync(join(tmpdir(), "pixazo-smoke-"));
for (const [kind, sdk, testing] of [
  ["esm", esm, esmTesting],
  ["cjs", cjs, cjsTesting],
]) {
  const gateway = await testing.startFakeGateway({ job: { queuedPolls: 0, processingPolls: 0 } });
  const client = new sdk.Pixazo({ apiKey: "smoke", baseUrl: gateway.url, pollIntervalMs: 10 });
  const job = await client.ltx23.textToVideo({ prompt: "smoke test" });
  const file = await client.download(job, join(dir, `${kind}.mp4`));
  if (Buffer.compare(readFileSync(file.path), Buffer.from(testing.SAMPLE_VIDEO)) !== 0)
    throw new Error(`${kind}: bad download`);
  try {
    await client.submit("ltx-2-3-text-to-video", { prompt: "x", duration: 7 });
    throw new Error(`${kind}: validation did not run`);
  } catch (error) {
    if (!(error instanceof sdk.ValidationError)) throw error;
  }
  await client.close();
  await gateway.close();
  console.log(`${kind} ok: ${Object.keys(sdk).length} exports, job ${job.request_id} downloaded`);
}
rmSync(dir, { recursive: true });

const models = execFileSync(process.execPath, [
  require.resolve("pixazo-ltx/package.json").replace("package.json", "dist/cli.js"),
  "models",
]).toString();
if (!models.includes("ltx-2-3-text-to-video")) throw new Error("the CLI did not list the models");
console.log("cli ok");
