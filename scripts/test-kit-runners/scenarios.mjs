// A user's test suite of an app built on pixazo-ltx, as plain async functions with node:assert,
// so each test runner below registers the same ones. Imported by name, from the installed tarball.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GenerationFailedError, Pixazo, WebhookReceiver } from "pixazo-ltx";
import { SAMPLE_VIDEO, startFakeGateway } from "pixazo-ltx/testing";

async function withGateway(run) {
  const gateway = await startFakeGateway();
  const client = new Pixazo({ apiKey: "test-key", baseUrl: gateway.url, pollIntervalMs: 10 });
  try {
    return await run(gateway, client);
  } finally {
    await client.close();
    await gateway.close();
  }
}

export const scenarios = {
  "a generate, downloaded byte for byte, with no warning": () =>
    withGateway(async (_gateway, client) => {
      // A warning here would mean the SDK fell back from undici (as it did in Jest's CommonJS
      // sandbox, where its import() failed).
      const warnings = [];
      const onWarning = (warning) => warnings.push(`${warning.name}: ${warning.message}`);
      process.on("warning", onWarning);
      const dir = await mkdtemp(join(tmpdir(), "pixazo-runner-"));
      try {
        const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A lighthouse in a storm" });
        const saved = await client.download(job, join(dir, "video.mp4"));
        assert.deepEqual(new Uint8Array(await readFile(saved.path)), new Uint8Array(SAMPLE_VIDEO));
        assert.deepEqual(
          warnings.filter((line) => line.startsWith("PixazoWarning")),
          [],
        );
      } finally {
        process.off("warning", onWarning);
        await rm(dir, { recursive: true, force: true });
      }
    }),
  "a failed job is a GenerationFailedError with the gateway's words": () =>
    withGateway(async (gateway, client) => {
      gateway.nextJob({ outcome: "FAILED", error: "content policy" });
      await assert.rejects(client.generate("ltx-2-3-text-to-video", { prompt: "x" }), (error) => {
        assert.ok(error instanceof GenerationFailedError);
        assert.match(error.message, /content policy/);
        return true;
      });
    }),
  "a wait ends on the webhook delivery": () =>
    withGateway(async (gateway, client) => {
      const receiver = new WebhookReceiver({ verify: client });
      const server = createServer(receiver.nodeHandler());
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const job = await client.generate(
          "ltx-2-3-text-to-video",
          { prompt: "x" },
          { webhook: { url: `http://127.0.0.1:${server.address().port}/hooks` }, events: receiver },
        );
        assert.equal(job.status, "COMPLETED");
        assert.equal(gateway.requestsOf("status").length, 1); // the verification read only
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }),
};

/** The webhook scenario inside a user's own msw server in its strictest mode. */
export async function besideStrictMsw() {
  const { http, HttpResponse } = await import("msw");
  const { setupServer } = await import("msw/node");
  const unhandled = [];
  const server = setupServer(http.get("https://api.example.com/user", () => HttpResponse.json({ name: "Ada" })));
  server.listen({ onUnhandledRequest: (request) => unhandled.push(`${request.method} ${request.url}`) });
  try {
    await scenarios["a wait ends on the webhook delivery"]();
    assert.deepEqual(unhandled, []);
  } finally {
    server.close();
  }
}
