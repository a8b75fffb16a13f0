/**
 * How to test your own code against the fake gateway, without credits or network. This file runs
 * with the project's tests; copy it into yours (it needs vitest as a dev dependency).
 */
import { GenerationFailedError, Pixazo } from "pixazo-ltx";
import { documentedErrors, type FakeGateway, startFakeGateway } from "pixazo-ltx/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** The code under test: your app's function that turns a prompt into a video URL. */
async function makeTrailer(client: Pixazo, idea: string): Promise<string> {
  const job = await client.ltx23.textToVideo({ prompt: `Cinematic trailer: ${idea}`, duration: 10 });
  const url = job.output.media_url[0];
  if (!url) throw new Error("no video");
  return url;
}

describe("makeTrailer", () => {
  let gateway: FakeGateway;
  let client: Pixazo;

  beforeEach(async () => {
    gateway = await startFakeGateway();
    // Fast polling: fake jobs finish after a few status reads.
    client = new Pixazo({ apiKey: "test", baseUrl: gateway.url, pollIntervalMs: 10, maxPollIntervalMs: 20 });
  });

  afterEach(async () => {
    await client.close();
    await gateway.close();
  });

  it("asks for a 10-second video with the idea in the prompt", async () => {
    const url = await makeTrailer(client, "a heist on the moon");

    expect(url).toContain(gateway.cdn.url);
    expect(gateway.requestsOf("submit")[0]?.body).toEqual({
      prompt: "Cinematic trailer: a heist on the moon",
      duration: 10,
    });
  });

  it("surfaces a failed job", async () => {
    gateway.nextJob({ outcome: "FAILED", error: "content policy" });

    await expect(makeTrailer(client, "a heist")).rejects.toBeInstanceOf(GenerationFailedError);
  });

  it("surfaces an empty wallet", async () => {
    gateway.inject({ on: "submit", fault: documentedErrors.insufficientBalance });

    await expect(makeTrailer(client, "a heist")).rejects.toThrow("Insufficient Balance");
  });
});
