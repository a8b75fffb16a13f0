import { describe, expect, it } from "vitest";
import { Pixazo, ValidationError } from "../../src/index.js";
import { accepted, recordingServer, rejectionOf, replyJson, setup, TEST_KEY } from "../support/gateway.js";

// What was validated is what is sent, byte for byte, on every attempt.

/** A gateway that refuses the first submit with 429 (Retry-After: 0), then accepts. */
async function limitedOnce() {
  const server = await recordingServer((res, _request, index) => {
    if (index === 0) replyJson(res, 429, { error: "Too Many Requests" }, { "retry-after": "0" });
    else accepted(res);
  });
  const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: server.url });
  return { client, received: server.received };
}

describe("the body of a submit", () => {
  it("is the same checked bytes on a retry after 429, whatever the caller did to its object meanwhile", async () => {
    const { client, received } = await limitedOnce();
    const input: { prompt: string; duration: 6 | 8 | 10 } = { prompt: "FIRST prompt", duration: 6 };

    const pending = client.submit("ltx-2-3-text-to-video", input);
    input.prompt = "SECOND prompt";
    input.duration = 7 as 6; // a duration the schema refuses
    await pending;

    expect(received.map((request) => request.body)).toEqual([
      '{"prompt":"FIRST prompt","duration":6}',
      '{"prompt":"FIRST prompt","duration":6}',
    ]);
    await client.close();
  });

  it("carries the value a getter gave the check, not a later one", async () => {
    const { gateway, client } = await setup();
    let reads = 0;
    const input = {
      get duration() {
        reads += 1;
        return reads === 1 ? 6 : 7;
      },
      prompt: "A lighthouse",
    };

    await client.submit("ltx-2-3-text-to-video", input as { prompt: string; duration: 6 });

    expect(gateway.requestsOf("submit")[0]?.body).toEqual({ duration: 6, prompt: "A lighthouse" });
  });

  it("ignores a hidden toJSON on the input: the checked fields are sent", async () => {
    const { gateway, client } = await setup();
    const input = { prompt: "A lighthouse" };
    Object.defineProperty(input, "toJSON", { value: () => ({ prompt: "swapped", duration: 7 }), enumerable: false });

    await client.submit("ltx-2-3-text-to-video", input);

    expect(gateway.requestsOf("submit")[0]?.body).toEqual({ prompt: "A lighthouse" });
  });

  it.each([
    ["__proto__ at the top", '{"__proto__":{"admin":true}}', ["extraFields", "__proto__"]],
    [
      "constructor nested",
      '{"meta":{"constructor":{"prototype":{"admin":true}}}}',
      ["extraFields", "meta", "constructor"],
    ],
    ["prototype in an array", '{"list":[{"prototype":1}]}', ["extraFields", "list", 0, "prototype"]],
    ["toJSON, which would replace the body", '{"toJSON":"x"}', ["extraFields", "toJSON"]],
  ])("refuses extraFields with %s, sending nothing", async (_name, json, path) => {
    const { gateway, client } = await setup();
    const extraFields = JSON.parse(json) as Record<string, unknown>;

    const error = (await rejectionOf(
      client.submit("ltx-2-3-text-to-video", { prompt: "A lighthouse" }, { extraFields }),
    )) as ValidationError;

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((issue) => issue.path)).toContainEqual(path);
    expect(gateway.requests).toHaveLength(0);
  });

  it.each([
    ["null", () => null],
    ["undefined", () => undefined],
    ["an array", () => [7, 8]],
    ["other fields", () => ({ duration: 7 })],
  ])("refuses extraFields with its own toJSON returning %s, sending nothing", async (_name, toJSON) => {
    const { gateway, client } = await setup();

    const error = (await rejectionOf(
      client.submit("ltx-2-3-text-to-video", { prompt: "A lighthouse" }, { extraFields: { toJSON } }),
    )) as ValidationError;

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.path).toEqual(["extraFields", "toJSON"]);
    expect(gateway.requests).toHaveLength(0);
  });

  it("sends extraFields as they were when submit was called", async () => {
    const { gateway, client } = await setup();
    const extraFields: Record<string, unknown> = { beta_flag: "on" };

    const pending = client.submit("ltx-2-3-text-to-video", { prompt: "A lighthouse" }, { extraFields });
    extraFields.beta_flag = "changed";
    extraFields.sneaky = true;
    await pending;

    expect(gateway.requestsOf("submit")[0]?.body).toEqual({ prompt: "A lighthouse", beta_flag: "on" });
  });
});
