import { readFileSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  type BadRequestError,
  type JobStatus,
  Pixazo,
  parseGatewayTimestamp,
} from "../../src/index.js";
import { SAMPLE_VIDEO, startFakeGateway } from "../../src/testing/index.js";
import { stepWallClock } from "../support/clock.js";
import { PROMPT, rejectionOf, settle, setup, TEST_KEY, until } from "../support/gateway.js";
import { MINIMAL_INPUTS } from "../support/inputs.js";

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

describe("the fake gateway answers as the reference shows each model", () => {
  it("reads: video/mp4 and output.mp4 for LTX v2.3 text and image to video, the generic output.ext for the others, ISO timestamps", async () => {
    const { gateway, client } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
    const expected: Record<string, [string, string]> = {
      "ltx-2-3-text-to-video": ["video/mp4", "output.mp4"],
      "ltx-2-3-image-to-video": ["video/mp4", "output.mp4"],
      "ltx-2-3-audio-to-video": ["application/octet-stream", "output.ext"],
      "ltx-2-3-retake-video": ["application/octet-stream", "output.ext"],
      "lightricks-video": ["application/octet-stream", "output.ext"],
      "ltx-2-19b-api-513": ["application/octet-stream", "output.ext"],
      "ltx-2-video-api-581": ["application/octet-stream", "output.ext"],
    };
    for (const [modelId, [mediaType, fileName]] of Object.entries(expected)) {
      const { request_id } = await client.submit(
        modelId as never,
        MINIMAL_INPUTS[modelId as keyof typeof MINIMAL_INPUTS] as never,
      );
      const job = await client.status(request_id);
      expect(job.output?.media_type, modelId).toBe(mediaType);
      expect(job.output?.media_url[0]).toMatch(new RegExp(`/v1/${request_id}/${fileName.replace(".", "\\.")}$`));
      for (const stamp of [job.created_at, job.updated_at, job.completed_at]) {
        expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    }
    await gateway.close();
  });

  it("callbacks: video/mp4 and output.mp4, ISO created_at, space-separated updated_at and completed_at", async () => {
    const { gateway, client } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0, stepMs: 5 } });
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    try {
      await client.submit("ltx-2-video-api-581", MINIMAL_INPUTS["ltx-2-video-api-581"], { webhook: { url } });
      await until(() => received.length === 1);
      const payload = received[0] as JobStatus;
      expect(payload.output?.media_type).toBe("video/mp4");
      expect(payload.output?.media_url[0]).toMatch(/\/output\.mp4$/);
      expect(payload.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(payload.updated_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(payload.completed_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    } finally {
      server.close();
      await gateway.close();
    }
  });

  it("a generic output is saved by downloadAll under the extension its bytes announce", async () => {
    const { client } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
    const job = await client.generate("lightricks-video", { prompt: "Clouds" });
    expect(job.output.media_type).toBe("application/octet-stream");
    const dir = await mkdtemp(join(tmpdir(), "pixazo-sniff-"));
    const [saved] = await client.downloadAll(job, dir);
    expect(saved?.path).toBe(join(dir, `${job.request_id}.mp4`));
    expect(await readdir(dir)).toEqual([`${job.request_id}.mp4`]);
  });
});
