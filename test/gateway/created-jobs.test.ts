import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import { ConnectionError, NotFoundError, Pixazo, SubmitUncertainError } from "../../src/index.js";
import { callIsolated } from "../../src/internal/isolated.js";
import { accepted, PROMPT, recordingServer, rejectionOf, settle, setup, TEST_KEY, until } from "../support/gateway.js";

// A job the gateway may have created never disappears from the caller's view.

describe("an abort", () => {
  it("after the POST reached the gateway is a SubmitUncertainError whose cause is the reason; one POST", async () => {
    // The gateway reads the submit, creates its job, and is slow to answer.
    const server = await recordingServer((res) => setTimeout(() => accepted(res), 5_000).unref());
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url });
    const controller = new AbortController();
    const reason = new Error("user closed the page");

    const pending = rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT, { signal: controller.signal }));
    await until(() => server.received.length === 1);
    controller.abort(reason);
    const error = (await pending) as SubmitUncertainError;

    expect(error).toBeInstanceOf(SubmitUncertainError);
    expect(error.cause).toBe(reason);
    expect(error.modelId).toBe("ltx-2-3-text-to-video");
    expect(error.message).toContain("a job may exist and may be charged");
    await settle();
    expect(server.received).toHaveLength(1);
    await client.close();
  });

  it("before anything was sent rejects with the bare reason; nothing arrives", async () => {
    const server = await recordingServer((res) => accepted(res));
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url });
    const reason = new Error("never mind");

    const error = await rejectionOf(
      client.submit("ltx-2-3-text-to-video", PROMPT, { signal: AbortSignal.abort(reason) }),
    );

    expect(error).toBe(reason);
    await settle();
    expect(server.received).toHaveLength(0);
    await client.close();
  });

  it("while a fresh process still loads its HTTP client rejects with the bare reason; nothing arrives", async () => {
    const server = await recordingServer((res) => accepted(res));

    const printed = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/support/abort-first-submit.ts", server.url], {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.on("error", reject);
      child.on("close", () => resolve(stdout.trim()));
    });

    expect(JSON.parse(printed)).toEqual({ outcome: "the reason" });
    expect(server.received).toHaveLength(0);
  });

  it("of a status read rejects with the bare reason: reads create nothing", async () => {
    const server = await recordingServer(() => {});
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url });
    const controller = new AbortController();

    const pending = rejectionOf(client.status("ltx-2-3-text-to-video_job-1", { signal: controller.signal }));
    await until(() => server.received.length === 1);
    controller.abort("stop");

    expect(await pending).toBe("stop");
    await client.close();
  });
});

describe("a logger that throws", () => {
  const throwingLogger = {
    debug(): void {
      throw new Error("log sink is down");
    },
  };

  it("does not turn a created job into an error: submit resolves with its request_id, one POST", async () => {
    const { gateway, client } = await setup({ logger: throwingLogger });

    const submitted = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const status = await client.status(submitted.request_id);

    expect(submitted.request_id).toMatch(/^ltx-2-3-text-to-video_/);
    expect(status.request_id).toBe(submitted.request_id);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("is reported as a process warning the first time only", async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on("warning", listen);
    const failing = () => {
      throw new Error("log sink is down");
    };

    callIsolated("A test's own callback", failing);
    callIsolated("A test's own callback", failing);
    await settle();
    process.off("warning", listen);

    const ours = warnings.filter((warning) => warning.name === "PixazoWarning");
    expect(ours.map((warning) => warning.message)).toEqual([
      "A test's own callback threw; ignored, as it always will be: log sink is down",
    ]);
  });

  it("does not replace the gateway's own error", async () => {
    const { client } = await setup({ logger: throwingLogger });

    const error = await rejectionOf(client.status("ltx-2-3-text-to-video_unknown"));

    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe("a failure after the request was written", () => {
  it("with a code that also names connect failures (EHOSTUNREACH on read) is uncertain, not resent", async () => {
    const server = await recordingServer((res) => accepted(res));
    // The request reaches the server; then the socket fails as a routing change would fail it.
    const failingAfterSending = new Agent().compose(
      (dispatch) => (options, handler) =>
        dispatch(options, {
          onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
          onResponseStart: (controller) =>
            controller.abort(Object.assign(new Error("read EHOSTUNREACH"), { code: "EHOSTUNREACH", syscall: "read" })),
          onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
          onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
          onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
        }),
    );
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, dispatcher: failingAfterSending });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as SubmitUncertainError;

    expect(error).toBeInstanceOf(SubmitUncertainError);
    expect((error.cause as ConnectionError).code).toBe("EHOSTUNREACH");
    expect((error.cause as ConnectionError).mayHaveReachedGateway).toBe(true);
    expect(server.received).toHaveLength(1);
    await failingAfterSending.close();
  });
});

describe("a closed client", () => {
  it("refuses new requests at once with a ConnectionError saying nothing was sent", async () => {
    const server = await recordingServer((res) => accepted(res));
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url });
    await client.submit("ltx-2-3-text-to-video", PROMPT);
    await client.close();

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as ConnectionError;

    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe("ERR_CLIENT_CLOSED");
    expect(error.mayHaveReachedGateway).toBe(false);
    expect(server.received).toHaveLength(1);
  });
});
