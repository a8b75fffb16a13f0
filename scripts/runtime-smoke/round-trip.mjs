// Runs under Node, Bun or Deno against the built package: a generate whose wait ends on a
// webhook served by the runtime's own server (Bun.serve / Deno.serve / node:http) through
// fetchHandler, then a download, then a download that is cut and must resume with Range.
// Prints one JSON line; exits non-zero on any failure.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pixazo, WebhookReceiver } from "../../dist/index.js";
import { startFakeGateway } from "../../dist/testing.js";

const runtime = globalThis.Bun
  ? `bun ${Bun.version}`
  : globalThis.Deno
    ? `deno ${Deno.version.deno}`
    : `node ${process.version}`;

/**
 * Serves a Fetch API handler with the runtime's own server, handed over as it is (so Bun passes
 * its server and Deno its info after the request); returns its URL and a stop function.
 */
async function serveFetch(handler) {
  if (globalThis.Bun) {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: handler });
    return { url: `http://127.0.0.1:${server.port}/hooks`, stop: () => server.stop(true) };
  }
  if (globalThis.Deno) {
    const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
    return { url: `http://127.0.0.1:${server.addr.port}/hooks`, stop: () => server.shutdown() };
  }
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, body: Buffer.concat(chunks) }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hooks`, stop: () => server.close() };
}

function check(condition, message) {
  if (!condition) throw new Error(`${runtime}: ${message}`);
}

// Large enough that a cut connection leaves bytes behind on every runtime (Bun's fetch drops a
// small body's bytes when its connection fails), so the resume has something to continue.
const media = new Uint8Array(4 * 1024 * 1024).map((_, index) => (index * 7919) % 251);
const gateway = await startFakeGateway({ media });
const client = new Pixazo({ apiKey: "runtime-smoke-key", baseUrl: gateway.url });
const reported = [];
const receiver = new WebhookReceiver({ verify: client, onError: (error) => reported.push(error.message) });
const hook = await serveFetch(receiver.fetchHandler());
const dir = await mkdtemp(join(tmpdir(), "pixazo-runtime-"));
try {
  const job = await client.generate(
    "ltx-2-3-text-to-video",
    { prompt: "A lighthouse in a storm" },
    {
      webhook: { url: hook.url },
      events: receiver,
    },
  );
  check(job.status === "COMPLETED", `job ended ${job.status}`);
  check(
    gateway.requestsOf("status").length === 1,
    `expected the verification read only, saw ${gateway.requestsOf("status").length} status reads`,
  );
  check(gateway.deliveries[0]?.response === 200, `the webhook was answered ${gateway.deliveries[0]?.response}`);
  // A bad delivery through the same server: a 400 in fixed words, nothing of the body echoed.
  const refused = await fetch(hook.url, { method: "POST", body: '{"secret":"do-not-echo"' });
  const refusal = await refused.text();
  check(
    refused.status === 400 && !refusal.includes("do-not-echo"),
    `a bad body was answered ${refused.status} ${refusal}`,
  );
  check(reported.length === 1 && !reported[0].includes("do-not-echo"), `reported ${JSON.stringify(reported)}`);

  const first = await client.download(job, join(dir, "video.mp4"));
  const bytes = await readFile(first.path);
  check(Buffer.compare(bytes, Buffer.from(media)) === 0, "the downloaded file differs from the served one");

  gateway.cdn.inject({ kind: "drop", afterBytes: 1024 * 1024 });
  const before = gateway.cdn.requests.length;
  const resumed = await client.download(job, join(dir, "resumed.mp4"));
  check(Buffer.compare(await readFile(resumed.path), Buffer.from(media)) === 0, "the resumed file differs");
  const range = gateway.cdn.requests[before + 1]?.headers.range;
  check(/^bytes=\d+-$/.test(range ?? ""), `the resume sent no Range (got ${range})`);
  console.log(
    JSON.stringify({ runtime, ok: true, statusReads: gateway.requestsOf("status").length, resumedWith: range }),
  );
} finally {
  await client.close();
  await hook.stop();
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
}
// No process.exit(): with everything above closed, the script ends by itself under each
// runtime (run.mjs gives it two minutes), the test kit included.
