import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AuthenticationError, type BadRequestError, Pixazo, parseGatewayTimestamp } from "../../src/index.js";
import { SAMPLE_VIDEO, startFakeGateway } from "../../src/testing/index.js";
import { stepWallClock } from "../support/clock.js";
import { PROMPT, rejectionOf, settle, setup, TEST_KEY } from "../support/gateway.js";

/** The top-level boxes of an ISO base media (MP4) file. */
function boxes(file: Uint8Array): string[] {
  const view = Buffer.from(file);
  const names: string[] = [];
  for (let offset = 0; offset + 8 <= view.length; ) {
    const size = view.readUInt32BE(offset);
    names.push(view.toString("latin1", offset + 4, offset + 8));
    if (size < 8) break;
    offset += size;
  }
  return names;
}

describe("the test kit's sample video", () => {
  it("is the committed MP4, byte for byte", () => {
    const committed = readFileSync(new URL("../../src/testing/sample.mp4", import.meta.url));
    expect(Buffer.compare(Buffer.from(SAMPLE_VIDEO), committed)).toBe(0);
  });

  it("is a well-formed MP4: ftyp, then moov before mdat (streamable), nothing left over", () => {
    const names = boxes(SAMPLE_VIDEO);
    expect(names[0]).toBe("ftyp");
    expect(names.indexOf("moov")).toBeGreaterThan(0);
    expect(names.indexOf("moov")).toBeLessThan(names.indexOf("mdat"));
    expect(Buffer.from(SAMPLE_VIDEO).toString("latin1")).toContain("avc1");
    expect(Buffer.from(SAMPLE_VIDEO).toString("latin1")).toContain("mp4a");
  });
});

describe("startFakeGateway", () => {
  it("accepts only the configured key, with the gateway's 401", async () => {
    const gateway = await startFakeGateway({ apiKey: "right-key" });
    const wrong = new Pixazo({ apiKey: "wrong-key", baseUrl: gateway.url });
    const right = new Pixazo({ apiKey: "right-key", baseUrl: gateway.url });
    try {
      expect(await rejectionOf(wrong.submit("ltx-2-3-text-to-video", PROMPT))).toBeInstanceOf(AuthenticationError);
      expect((await right.submit("ltx-2-3-text-to-video", PROMPT)).status).toBe("QUEUED");
    } finally {
      await Promise.all([wrong.close(), right.close(), gateway.close()]);
    }
  });

  it("validates submits with the model schemas, as the gateway would", async () => {
    const { gateway } = await setup();
    const response = await fetch(`${gateway.url}/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request`, {
      method: "POST",
      headers: { "ocp-apim-subscription-key": TEST_KEY, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "x", duration: 7 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain("duration");
    expect(gateway.jobs.size).toBe(0);
  });

  it("lets a user's own client bypass validation and still get the gateway's 400", async () => {
    const { gateway, client } = await setup({ maxRetries: 0 });
    gateway.inject({
      on: "submit",
      fault: { kind: "response", status: 400, body: { error: "Bad Request", message: "prompt too long" } },
    });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as BadRequestError;

    expect(error.gatewayMessage).toBe("prompt too long");
  });

  it("scripts jobs in order and records every request", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ outcome: "ERROR" });
    gateway.nextJob({ queuedPolls: 0, processingPolls: 0 });

    const first = await rejectionOf(client.generate("ltx-2-3-text-to-video", PROMPT));
    const second = await client.generate("ltx-2-3-text-to-video", PROMPT);

    expect((first as { status: string }).status).toBe("ERROR");
    expect(second.status).toBe("COMPLETED");
    expect(gateway.requestsOf("submit")).toHaveLength(2);
    expect(gateway.requestsOf("status").length).toBe(gateway.requests.length - 2);
    expect([...gateway.jobs.values()].map((job) => job.statuses.at(-1))).toEqual(["ERROR", "COMPLETED"]);
  });

  it("runs a timed job on wall time, however often it is polled", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ durationMs: 300, queuedMs: 100 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const seen: string[] = [];

    const first = await client.status(request_id);
    const second = await client.status(request_id);
    const job = await client.wait(request_id, {
      pollIntervalMs: 40,
      maxPollIntervalMs: 40,
      onStatus: (s) => void seen.push(s.status),
    });

    expect([first.status, second.status]).toEqual(["QUEUED", "QUEUED"]);
    expect(seen).toContain("PROCESSING");
    expect(job.status).toBe("COMPLETED");
  });

  it("reports when a job ended as completed_at, the same on every later read", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ durationMs: 0, outcome: "ERROR" });
    const timed = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const stepped = await client.generate("ltx-2-3-text-to-video", PROMPT);
    const steppedEnd = stepped.completed_at;
    await settle(1_100);

    const timedStatus = await client.status(timed.request_id);
    const steppedAgain = await client.status(stepped.request_id);

    // The timed job ended as it was created; a second later, a read-time stamp would be past it.
    const created = parseGatewayTimestamp(timedStatus.created_at)?.getTime() ?? Number.NaN;
    const completed = parseGatewayTimestamp(timedStatus.completed_at)?.getTime() ?? Number.NaN;
    expect(completed - created).toBeLessThanOrEqual(0);
    expect(steppedEnd).toEqual(expect.any(String));
    expect(steppedAgain.completed_at).toBe(steppedEnd);
    expect(steppedAgain.updated_at).toBe(steppedEnd);
  });

  it("ends a timed job on time, and wait finds it, when the wall clock steps back", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ durationMs: 200 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    stepWallClock(-20_000);

    const job = await client.wait(request_id);

    expect(job.status).toBe("COMPLETED");
  });

  it("points completed jobs at its CDN, on another origin than the gateway", async () => {
    const { gateway, client } = await setup();
    const job = await client.generate("ltx-2-3-text-to-video", PROMPT);

    const media = new URL(job.output?.media_url[0] ?? "");
    expect(media.origin).toBe(gateway.cdn.url);
    expect(media.origin).not.toBe(new URL(gateway.url).origin);
    const response = await fetch(media);
    expect(response.headers.get("content-type")).toBe("video/mp4");
    expect((await response.arrayBuffer()).byteLength).toBe(SAMPLE_VIDEO.length);
  });

  it("answers an unknown path with 404", async () => {
    const { gateway } = await setup();
    const response = await fetch(`${gateway.url}/nope`, { headers: { "ocp-apim-subscription-key": TEST_KEY } });
    expect(response.status).toBe(404);
  });
});
