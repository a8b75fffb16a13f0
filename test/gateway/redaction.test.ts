import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { APIError, Pixazo, UnexpectedResponseError } from "../../src/index.js";
import { PROMPT, recordingServer, rejectionOf, replyJson, setup, TEST_KEY } from "../support/gateway.js";

// The key is removed from the text the SDK writes, in every disguise an echo can take; the
// replies themselves are parsed untouched.

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Every way the key comes back below: as sent, JSON-escaped, upper-cased, percent-encoded. */
const ECHOES = {
  plain: TEST_KEY,
  escaped: TEST_KEY.replace("s", "\\u0073").replace("-", "\\u002D"),
  upper: TEST_KEY.toUpperCase(),
  percent: TEST_KEY.replace("-", "%2d"),
};

/** Everything a caller might print or ship of an error. */
function renderings(error: unknown): string[] {
  return [
    (error as Error).message,
    JSON.stringify(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY }),
    String((error as Error).stack),
  ];
}

function expectNoKey(texts: string[]): void {
  for (const text of texts) {
    expect(text.toLowerCase()).not.toContain(TEST_KEY.toLowerCase());
    expect(text).not.toContain("\\u0073k-test");
    expect(text).not.toContain("sk%2dtest");
  }
}

describe("echoes of the key in error bodies", () => {
  it.each(Object.entries(ECHOES))("%s: absent from message, body, JSON and inspect output", async (_name, echo) => {
    const server = await recordingServer((res) =>
      // Raw text, so the escaped form reaches the client as the server wrote it.
      replyJson(
        res,
        401,
        `{"error":"Unauthorized ${echo}","message":"key ${echo} is not valid","details":{"${echo}":["${echo}"]}}`,
      ),
    );
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 0 });

    const error = (await rejectionOf(client.status("job_1"))) as APIError;

    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toContain("key [redacted] is not valid");
    expect(error.gatewayError).toBe("Unauthorized [redacted]");
    expect(error.body).toEqual({
      error: "Unauthorized [redacted]",
      message: "key [redacted] is not valid",
      details: { "[redacted]": ["[redacted]"] },
    });
    expectNoKey([...renderings(error), JSON.stringify(error.body)]);
    await client.close();
  });

  it("in an HTML page and in an undocumented 200 body: absent from the excerpt and message", async () => {
    const server = await recordingServer((res, _request, index) => {
      if (index === 0) {
        res.writeHead(502, { "content-type": "text/html" });
        res.end(`<html><body>upstream said: ${ECHOES.upper}</body></html>`);
      } else replyJson(res, 200, `{"unexpected":"${ECHOES.escaped}"}`);
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 0 });

    const html = await rejectionOf(client.status("job_1"));
    const odd = (await rejectionOf(client.status("job_1"))) as UnexpectedResponseError;

    expect(odd).toBeInstanceOf(UnexpectedResponseError);
    expect(odd.excerpt).toContain("[redacted]");
    expectNoKey([...renderings(html), ...renderings(odd)]);
    await client.close();
  });

  it("in reply headers (a content type, a redirect's location): absent from the message", async () => {
    const server = await recordingServer((res, _request, index) => {
      if (index === 0) {
        res.writeHead(200, { "content-type": `text/html; echo=${TEST_KEY}` });
        res.end("<html></html>");
      } else {
        res.writeHead(307, { location: `https://${TEST_KEY.toLowerCase()}.elsewhere.example/` });
        res.end();
      }
    });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url, maxRetries: 0 });

    const notJson = await rejectionOf(client.status("job_1"));
    const redirect = await rejectionOf(client.status("job_1"));

    expect((notJson as Error).message).toContain("echo=[redacted]");
    expect((redirect as Error).message).toContain("https://[redacted].elsewhere.example");
    expectNoKey([...renderings(notJson), ...renderings(redirect)]);
    await client.close();
  });

  it("of a key with JSON's escaped characters, echoed escaped and upper-cased: absent", async () => {
    const key = 'sk"te\\st-KEY';
    const escapedUpper = JSON.stringify(key.toUpperCase()).slice(1, -1).replace("S", "\\u0053");
    const server = await recordingServer((res) => replyJson(res, 400, `{"message":"bad ${escapedUpper}"}`));
    const client = new Pixazo({ apiKey: key, baseUrl: server.url, maxRetries: 0 });

    const error = await rejectionOf(client.status("job_1"));

    expect((error as Error).message).toContain("bad [redacted]");
    for (const text of renderings(error)) {
      expect(text.toLowerCase()).not.toContain("te\\st-key"); // as the key is
      expect(text.toLowerCase()).not.toContain("te\\\\st-key"); // as JSON writes it
    }
    await client.close();
  });

  it("reach the CLI's stderr redacted", async () => {
    const server = await recordingServer((res) => replyJson(res, 403, `{"message":"${ECHOES.escaped} may not"}`));

    const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", "status", "job_1"], {
        cwd: root,
        env: { ...process.env, PIXAZO_API_KEY: TEST_KEY, PIXAZO_BASE_URL: server.url },
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });

    expect(run.stderr).toContain("[redacted] may not");
    expectNoKey([run.stderr]);
  });
});

describe("a successful reply", () => {
  it("is never redacted: with the one-letter key 'x', ids keep their x and the next read works", async () => {
    const { gateway, client } = await setup({ apiKey: "x" }, { apiKey: "x" });

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT);

    expect(job.request_id).toMatch(/^ltx-2-3-text-to-video_/);
    expect(gateway.jobs.has(job.request_id)).toBe(true);
    expect(job.output?.media_url[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });
});
