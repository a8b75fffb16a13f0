import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Agent, interceptors } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { Pixazo, SubmitUncertainError, UnexpectedResponseError } from "../../src/index.js";
import { accepted, PROMPT, recordingServer, rejectionOf, replyJson, settle, TEST_KEY } from "../support/gateway.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function statusOf(requestId: string, extra: Record<string, unknown> = {}) {
  return { request_id: requestId, status: "COMPLETED", error: null, output: null, ...extra };
}

/** A status object carrying a field nested `levels` deep. */
function nestedStatus(requestId: string, levels: number): string {
  return `{"request_id":"${requestId}","status":"COMPLETED","meta":${"[".repeat(levels)}${"]".repeat(levels)}}`;
}

describe("a status reply", () => {
  it("about another job is refused, retried, and never returned", async () => {
    const server = await recordingServer((res) => replyJson(res, 200, statusOf("someone-else")));
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 1 });

    const error = (await rejectionOf(client.wait("r", { pollIntervalMs: 10 }))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.requestId).toBe("r");
    expect(error.message).toContain('a status of another job ("someone-else")');
    expect(server.received).toHaveLength(2);
    await client.close();
  });

  it("about another job is logged as a failed request, not as a success", async () => {
    const server = await recordingServer((res) => replyJson(res, 200, statusOf("someone-else")));
    const lines: [string, Record<string, unknown>][] = [];
    const logger = { debug: (message: string, details: Record<string, unknown>) => lines.push([message, details]) };
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 0, logger });

    await rejectionOf(client.status("r"));

    expect(lines).toEqual([
      ["pixazo-ltx request failed", expect.objectContaining({ error: "UnexpectedResponseError", status: 200 })],
    ]);
    await client.close();
  });

  it("nested deeper than any documented shape is refused, and the error itself stringifies", async () => {
    const server = await recordingServer((res) => replyJson(res, 200, nestedStatus("job_1", 5_000)));
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 0 });

    const error = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toContain("nested deeper than 16 levels");
    expect(() => JSON.stringify(error)).not.toThrow();
    await client.close();
  });

  it("with unknown fields nested a few levels is kept, and prints", async () => {
    const server = await recordingServer((res) => replyJson(res, 200, nestedStatus("job_1", 10)));
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 0 });

    const status = await client.status("job_1");

    expect(JSON.stringify(status)).toContain(`"meta":${"[".repeat(10)}`);
    await client.close();
  });

  it("too deep for JSON.stringify makes `pixazo-ltx status` fail cleanly, not with a stack overflow", async () => {
    const server = await recordingServer((res) => replyJson(res, 200, nestedStatus("job_1", 100_000)));

    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", "status", "job_1"], {
        cwd: root,
        env: { ...process.env, PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: server.url },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

    expect(run.stderr).toContain("nested deeper than 16 levels");
    expect(run.stderr).not.toContain("Maximum call stack size exceeded");
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
  });
});

describe("a caller's dispatcher that follows redirects", () => {
  it("never takes the key or the body to another origin", async () => {
    const elsewhere = await recordingServer((res) => accepted(res));
    const gateway = await recordingServer((res) => {
      res.writeHead(307, { location: `${elsewhere.url}/collect` });
      res.end();
    });
    const following = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }));
    closers.push(() => following.close());
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, dispatcher: following, maxRetries: 0 });

    const submitError = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as SubmitUncertainError;
    const statusError = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(submitError).toBeInstanceOf(SubmitUncertainError);
    expect((submitError.cause as UnexpectedResponseError).status).toBe(307);
    expect(statusError).toBeInstanceOf(UnexpectedResponseError);
    expect(statusError.message).toContain(`redirecting to ${elsewhere.url}`);
    await settle();
    expect(gateway.received).toHaveLength(2);
    expect(elsewhere.received).toHaveLength(0);
  });

  it("still follows redirects for the caller's other requests (the setting is per request)", async () => {
    const elsewhere = await recordingServer((res) => replyJson(res, 200, { ok: true }));
    const start = await recordingServer((res) => {
      res.writeHead(307, { location: `${elsewhere.url}/there` });
      res.end();
    });
    const following = new Agent().compose(interceptors.redirect({ maxRedirections: 3 }));
    closers.push(() => following.close());

    const response = await following.request({ origin: start.url, path: "/here", method: "GET" });
    await response.body.dump();

    expect(response.statusCode).toBe(200);
    expect(elsewhere.received).toHaveLength(1);
  });
});
