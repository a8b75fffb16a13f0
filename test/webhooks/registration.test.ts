import { describe, expect, it } from "vitest";
import { MODELS, type ModelId, Pixazo, ValidationError } from "../../src/index.js";
import { PROMPT, rejectionOf, setup, TEST_KEY } from "../support/gateway.js";
import { MINIMAL_INPUTS } from "../support/inputs.js";

const MODEL_LIST = Object.values(MODELS);

describe("registering a webhook", () => {
  it.each(MODEL_LIST.map((model) => model.id))(
    "sends X-Webhook-URL for %s, and no mode header by default",
    async (modelId) => {
      const { gateway, client } = await setup();

      await client.submit(modelId as "lightricks-video", MINIMAL_INPUTS[modelId as ModelId] as never, {
        webhook: { url: "http://127.0.0.1:9/hooks/pixazo" },
      });

      const headers = gateway.requests[0]?.headers ?? {};
      expect(headers["x-webhook-url"]).toBe("http://127.0.0.1:9/hooks/pixazo");
      expect(headers["x-webhook-mode"]).toBeUndefined();
      expect(gateway.jobs.values().next().value?.webhook).toEqual({
        url: "http://127.0.0.1:9/hooks/pixazo",
        mode: "terminal",
      });
    },
  );

  it("sends the mode when given, through generate too", async () => {
    const { gateway, client } = await setup();

    await rejectionOf(
      client.generate("ltx-2-3-text-to-video", PROMPT, {
        webhook: { url: "http://127.0.0.1:9/h", mode: "sync" },
        timeoutMs: 1,
      }),
    );

    expect(gateway.requests[0]?.headers["x-webhook-mode"]).toBe("sync");
  });

  it.each([
    ["http://example.com/hook", "must use https"],
    ["ftp://example.com/hook", "must use https"],
    ["/hook", "is not an absolute URL"],
    ["", "is not an absolute URL"],
  ])("refuses %j before any request", async (url, message) => {
    const { gateway, client } = await setup();

    const error = (await rejectionOf(
      client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url } }),
    )) as ValidationError;

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]).toMatchObject({ path: ["webhook", "url"], received: url });
    expect(error.message).toContain(message);
    expect(gateway.requests).toHaveLength(0);
  });

  it("refuses loopback http when the gateway itself is not loopback", async () => {
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: "https://gateway.pixazo.ai" });

    const error = (await rejectionOf(
      client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url: "http://127.0.0.1:8080/hook" } }),
    )) as ValidationError;

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.path).toEqual(["webhook", "url"]);
  });

  it("accepts https anywhere and refuses an unknown mode", async () => {
    const { gateway, client } = await setup();
    await client.submit("ltx-2-3-text-to-video", PROMPT, {
      webhook: { url: "https://example.com/hook", mode: "terminal" },
    });
    expect(gateway.requests[0]?.headers["x-webhook-mode"]).toBe("terminal");

    const error = (await rejectionOf(
      client.submit("ltx-2-3-text-to-video", PROMPT, {
        webhook: { url: "https://example.com/hook", mode: "always" as "sync" },
      }),
    )) as ValidationError;
    expect(error.issues[0]).toMatchObject({
      path: ["webhook", "mode"],
      received: "always",
      allowed: '"terminal", "sync"',
    });
    expect(gateway.requests).toHaveLength(1);
  });

  it("leaves LTX v2 Pro's own webhook body fields as documented", async () => {
    const { gateway, client } = await setup();

    await client.ltx2.pro.submit({
      prompt: "x",
      webhook: "https://example.com/hook",
      webhook_events_filter: ["completed"],
    });

    expect(gateway.requests[0]?.body).toEqual({
      prompt: "x",
      webhook: "https://example.com/hook",
      webhook_events_filter: ["completed"],
    });
    expect(gateway.requests[0]?.headers["x-webhook-url"]).toBeUndefined();
  });
});
