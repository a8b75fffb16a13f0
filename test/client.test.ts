import { afterEach, describe, expect, it, vi } from "vitest";
import { Pixazo, ValidationError } from "../src/index.js";
import { PROMPT, rejectionOf, setup, TEST_KEY } from "./support/gateway.js";

function constructionError(options: ConstructorParameters<typeof Pixazo>[0]): ValidationError {
  try {
    new Pixazo(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("expected new Pixazo() to throw");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("client options", () => {
  it("without a key make a client whose every request is refused, naming PIXAZO_API_KEY, before anything is sent", async () => {
    const { gateway } = await setup();
    vi.stubEnv("PIXAZO_API_KEY", "");
    // Made at module scope in an app, this must not throw during a build that sends nothing.
    const client = new Pixazo({ baseUrl: gateway.url });

    const refusals = [
      await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT)),
      await rejectionOf(client.status("ltx-2-3-text-to-video_job-1")),
      await rejectionOf(client.wait("ltx-2-3-text-to-video_job-1", { timeoutMs: 5_000 })),
      await rejectionOf(client.generate("ltx-2-3-text-to-video", PROMPT)),
      await rejectionOf(client.ltx23.textToVideo.submit(PROMPT)),
    ];
    await client.close();

    for (const error of refusals) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { path: ["apiKey"], message: expect.stringContaining("PIXAZO_API_KEY") },
      ]);
    }
    expect(gateway.requests).toHaveLength(0);
  });

  it("without a key and with another bad option fail at construction, naming both", () => {
    vi.stubEnv("PIXAZO_API_KEY", "");

    const error = constructionError({ maxRetries: -1 });

    expect(error.message).toContain("PIXAZO_API_KEY");
    expect(error.issues.map((issue) => issue.path.join("."))).toEqual(["apiKey", "maxRetries"]);
  });

  it("still refuse a key that cannot be a header value at construction, without echoing it", () => {
    const error = constructionError({ apiKey: "sk-live secret\n" });

    expect(error.issues[0]?.path).toEqual(["apiKey"]);
    expect(error.message).not.toContain("secret");
  });

  it("take the key and base URL from the environment", async () => {
    const { gateway } = await setup();
    vi.stubEnv("PIXAZO_API_KEY", "key-from-env");
    vi.stubEnv("PIXAZO_BASE_URL", gateway.url);

    const client = new Pixazo();
    await client.submit("ltx-2-3-text-to-video", PROMPT);
    await client.close();

    expect(client.baseUrl).toBe(gateway.url);
    expect(gateway.requests[0]?.headers["ocp-apim-subscription-key"]).toBe("key-from-env");
  });

  it("default to the public gateway over https", () => {
    vi.stubEnv("PIXAZO_BASE_URL", "");
    expect(new Pixazo({ apiKey: TEST_KEY }).baseUrl).toBe("https://gateway.pixazo.ai");
  });

  it('names a missing scheme as such ("localhost:8080" parses as a URL of scheme "localhost:")', () => {
    const error = constructionError({ apiKey: TEST_KEY, baseUrl: "localhost:8080" });
    expect(error.issues[0]).toMatchObject({ path: ["baseUrl"], message: "has no scheme (https://)" });
  });

  it.each([
    "http://gateway.pixazo.ai",
    "http://10.0.0.5:8080",
    "ftp://gateway.pixazo.ai",
    "not a url",
    "https://user:pass@gateway.pixazo.ai",
    "https://gateway.pixazo.ai/?x=1",
  ])("refuse the base URL %s", (baseUrl) => {
    const error = constructionError({ apiKey: TEST_KEY, baseUrl });
    expect(error.issues[0]?.path).toEqual(["baseUrl"]);
    expect(error.message).toContain("https://");
  });

  it.each(["https://proxy.example.com/pixazo", "http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:9000"])(
    "accept the base URL %s",
    (baseUrl) => {
      expect(() => new Pixazo({ apiKey: TEST_KEY, baseUrl })).not.toThrow();
    },
  );

  it("list every bad number at once, with the value and what is allowed", () => {
    const error = constructionError({
      apiKey: TEST_KEY,
      requestTimeoutMs: -1,
      maxRetries: 1.5,
      pollIntervalMs: Number.NaN,
      maxPollIntervalMs: 0,
    });

    expect(error.issues.map((issue) => issue.path.join("."))).toEqual([
      "requestTimeoutMs",
      "maxRetries",
      "pollIntervalMs",
      "maxPollIntervalMs",
    ]);
    expect(error.message).toContain(
      "maxRetries: out of range or not a number (received 1.5); allowed: an integer from 0 to 10",
    );
    expect(error.issues[0]).toMatchObject({ received: -1 });
  });

  it("refuse a cap below the poll interval", () => {
    const error = constructionError({ apiKey: TEST_KEY, pollIntervalMs: 5_000, maxPollIntervalMs: 1_000 });
    expect(error.issues[0]?.path).toEqual(["maxPollIntervalMs"]);
  });
});

describe("bad calls cost nothing", () => {
  it("an unknown model id names the known ones and sends nothing", async () => {
    const { gateway, client } = await setup();

    const error = (await rejectionOf(
      client.submit("ltx-9-text-to-video" as "ltx-2-3-text-to-video", PROMPT),
    )) as ValidationError;

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('"ltx-9-text-to-video"');
    expect(error.message).toContain("ltx-2-3-text-to-video, ltx-2-3-image-to-video");
    expect(gateway.requests).toHaveLength(0);
  });

  it.each([null, "a prompt", ["prompt"], 42])("an input of %j is refused before sending", async (input) => {
    const { gateway, client } = await setup();

    const error = await rejectionOf(client.submit("ltx-2-3-text-to-video", input as never));

    expect(error).toBeInstanceOf(ValidationError);
    expect(gateway.requests).toHaveLength(0);
  });

  it("extra fields JSON cannot carry are refused before sending", async () => {
    const { gateway, client } = await setup();

    const error = await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT, { extraFields: { seed: 10n } }));

    expect((error as ValidationError).message).toContain("cannot be sent as JSON");
    expect(gateway.requests).toHaveLength(0);
  });

  it.each(["", "   ", undefined])("a request id of %j is refused before sending", async (requestId) => {
    const { gateway, client } = await setup();

    expect(await rejectionOf(client.status(requestId as string))).toBeInstanceOf(ValidationError);
    expect(await rejectionOf(client.wait(requestId as string))).toBeInstanceOf(ValidationError);
    expect(gateway.requests).toHaveLength(0);
  });

  it("a bad wait option in generate is refused before the submit", async () => {
    const { gateway, client } = await setup();

    const error = (await rejectionOf(
      client.generate("ltx-2-3-text-to-video", PROMPT, { timeoutMs: -5 }),
    )) as ValidationError;

    expect(error.issues[0]).toMatchObject({ path: ["timeoutMs"], received: -5 });
    expect(gateway.requests).toHaveLength(0);
  });
});
