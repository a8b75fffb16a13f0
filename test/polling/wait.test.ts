import { describe, expect, it } from "vitest";
import {
  GenerationFailedError,
  type JobStatus,
  NotFoundError,
  type SubmittedJob,
  UnexpectedResponseError,
  undocumentedFields,
  WaitTimeoutError,
} from "../../src/index.js";
import { PROMPT, rejectionOf, settle, setup, until } from "../support/gateway.js";
import { MINIMAL_INPUTS } from "../support/inputs.js";

describe("generate and wait", () => {
  it("submit, report every status in order, and resolve with the completed status", async () => {
    const { gateway, client } = await setup();
    const events: string[] = [];

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, {
      onSubmit: (submitted: SubmittedJob) => {
        events.push(`submit ${submitted.status}`);
      },
      onStatus: (status: JobStatus) => {
        events.push(status.status);
      },
    });

    expect(events).toEqual(["submit QUEUED", "QUEUED", "PROCESSING", "PROCESSING", "COMPLETED"]);
    expect(job.status).toBe("COMPLETED");
    expect(job.model_id).toBe("ltx-2-3-text-to-video");
    expect(job.output?.media_type).toBe("video/mp4");
    expect(job.output?.media_url[0]).toContain(job.request_id);
    expect(gateway.requestsOf("status")).toHaveLength(4);
    expect(gateway.requests.at(-1)?.path).toBe(`/v2/requests/status/${job.request_id}`);
  });

  it("call onSubmit before the first status read", async () => {
    const { gateway, client } = await setup();
    let readsAtSubmit = -1;

    await client.generate("ltx-2-3-text-to-video", PROMPT, {
      onSubmit: () => {
        readsAtSubmit = gateway.requestsOf("status").length;
      },
    });

    expect(readsAtSubmit).toBe(0);
  });

  it("reject FAILED with GenerationFailedError, saying the reference does not state whether it is charged", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ outcome: "FAILED", error: "Content policy violation" });

    const error = (await rejectionOf(
      client.generate("ltx-2-3-image-to-video", MINIMAL_INPUTS["ltx-2-3-image-to-video"]),
    )) as GenerationFailedError;

    expect(error).toBeInstanceOf(GenerationFailedError);
    expect(error.status).toBe("FAILED");
    expect(error.charge).toBe("not stated");
    expect(error.message).not.toContain("charged");
    expect(error.gatewayError).toBe("Content policy violation");
    expect(error.modelId).toBe("ltx-2-3-image-to-video");
    expect(error.requestId).toMatch(/^ltx-2-3-image-to-video_/);
    expect(error.job.status).toBe("FAILED");
    expect(error.message).toContain("Content policy violation");
  });

  it("reject ERROR with GenerationFailedError marked as not charged", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ outcome: "ERROR" });

    const error = (await rejectionOf(client.generate("ltx-2-3-text-to-video", PROMPT))) as GenerationFailedError;

    expect(error.status).toBe("ERROR");
    expect(error.charge).toBe("not charged");
    expect(error.gatewayError).toBe("Description of the error");
    expect(error.message).toContain("not charged");
  });

  it("pass through a status value the reference does not list and keep polling", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ statuses: ["QUEUED", "WARMING_UP", "PROCESSING", "COMPLETED"] });
    const seen: string[] = [];

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, { onStatus: (s) => void seen.push(s.status) });

    expect(seen).toEqual(["QUEUED", "WARMING_UP", "PROCESSING", "COMPLETED"]);
    expect(job.status).toBe("COMPLETED");
  });

  it("end with the onStatus callback's error when it throws", async () => {
    const { client } = await setup();
    const failure = new Error("storage is full");

    const error = await rejectionOf(
      client.generate("ltx-2-3-text-to-video", PROMPT, {
        onStatus: () => {
          throw failure;
        },
      }),
    );

    expect(error).toBe(failure);
  });

  it("reject with the status error, carrying the request id, when the job is unknown", async () => {
    const { client } = await setup();

    const error = (await rejectionOf(client.wait("ltx-2-3-text-to-video_missing"))) as NotFoundError;

    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.requestId).toBe("ltx-2-3-text-to-video_missing");
  });
});

describe("wait timeout", () => {
  it("rejects with WaitTimeoutError carrying the request id and the last status", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ statuses: ["QUEUED", "PROCESSING"] });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);

    const error = (await rejectionOf(client.wait(request_id, { timeoutMs: 150 }))) as WaitTimeoutError;

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.requestId).toBe(request_id);
    expect(error.timeoutMs).toBe(150);
    expect(error.lastStatus?.status).toBe("PROCESSING");
    expect(error.message).toContain(`client.wait("${request_id}")`);
  });

  it("cuts a read still hanging a request timeout past the deadline, and sends nothing after", async () => {
    const { gateway, client } = await setup({ requestTimeoutMs: 300 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    gateway.inject({ on: "status", fault: { kind: "hang" }, times: 100 });

    const error = (await rejectionOf(client.wait(request_id, { timeoutMs: 200 }))) as WaitTimeoutError;

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.lastStatus).toBeUndefined();
    const reads = gateway.requestsOf("status").length;
    await settle();
    expect(gateway.requestsOf("status")).toHaveLength(reads);
  });

  it("reads once more at the deadline, so a job that completed in time is never reported unfinished", async () => {
    const { gateway, client } = await setup({ pollIntervalMs: 10_000, maxPollIntervalMs: 60_000 });
    gateway.nextJob({ durationMs: 600 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);

    // The first read would come after 5 s; the deadline comes first and brings a read of its own.
    const job = await client.wait(request_id, { timeoutMs: 900 });

    expect(job.status).toBe("COMPLETED");
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("lets the caller resume with wait() after a timeout", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ queuedPolls: 0, processingPolls: 3 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const error = (await rejectionOf(client.wait(request_id, { timeoutMs: 12 }))) as WaitTimeoutError;

    const job = await client.wait(error.requestId);

    expect(job.status).toBe("COMPLETED");
  });
});

describe("abort", () => {
  it("during a sleep rejects at once with the reason, with no request sent", async () => {
    const { gateway, client } = await setup({ pollIntervalMs: 60_000, maxPollIntervalMs: 60_000 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const controller = new AbortController();
    const reason = new Error("user left the page");

    const pending = rejectionOf(client.wait(request_id, { signal: controller.signal }));
    await settle(20);
    controller.abort(reason);

    expect(await pending).toBe(reason);
    await settle();
    expect(gateway.requestsOf("status")).toHaveLength(0);
  });

  it("during a status request rejects at once with the reason, and no request follows", async () => {
    const { gateway, client } = await setup({ requestTimeoutMs: 60_000 });
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    gateway.inject({ on: "status", fault: { kind: "hang" } });
    const controller = new AbortController();

    const pending = rejectionOf(client.wait(request_id, { signal: controller.signal }));
    await until(() => gateway.requestsOf("status").length === 1);
    controller.abort("cancelled");

    expect(await pending).toBe("cancelled");
    await settle();
    expect(gateway.requestsOf("status")).toHaveLength(1);
  });

  it("before generate starts sends nothing at all", async () => {
    const { gateway, client } = await setup();
    const reason = new Error("too late");

    const error = await rejectionOf(
      client.generate("ltx-2-3-text-to-video", PROMPT, { signal: AbortSignal.abort(reason) }),
    );

    expect(error).toBe(reason);
    expect(gateway.requests).toHaveLength(0);
  });

  it("during generate's wait leaves the job on the gateway and stops polling", async () => {
    const { gateway, client } = await setup();
    gateway.nextJob({ statuses: ["QUEUED", "PROCESSING"] });
    const controller = new AbortController();

    const error = await rejectionOf(
      client.generate("ltx-2-3-text-to-video", PROMPT, {
        signal: controller.signal,
        onStatus: (status) => {
          if (status.status === "PROCESSING") controller.abort("enough");
        },
      }),
    );

    expect(error).toBe("enough");
    const reads = gateway.requestsOf("status").length;
    await settle();
    expect(gateway.requestsOf("status")).toHaveLength(reads);
    expect(gateway.jobs.size).toBe(1);
  });
});

describe("a completed job", () => {
  it("without output.media_url is an UnexpectedResponseError naming the job, not a success without a video", async () => {
    const { gateway, client } = await setup();
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    gateway.inject({
      on: "status",
      fault: { kind: "response", status: 200, body: { request_id, status: "COMPLETED", output: null, error: null } },
    });

    const error = (await rejectionOf(client.wait(request_id))) as UnexpectedResponseError;

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.requestId).toBe(request_id);
    expect(error.message).toContain("no output.media_url");
    expect(error.request.path).toBe(`/v2/requests/status/${request_id}`);
  });

  it("keeps the fields the reference does not list, reached with undocumentedFields()", async () => {
    const { gateway, client } = await setup();
    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    const output = { media_url: ["https://cdn.example.com/a.mp4"], media_type: "video/mp4", seconds: 6 };
    gateway.inject({
      on: "status",
      fault: {
        kind: "response",
        status: 200,
        body: { request_id, status: "COMPLETED", output, error: null, completed_at: null, progress: 100 },
      },
    });

    const job = await client.wait(request_id);

    expect(job.output.media_url).toEqual(output.media_url);
    expect(undocumentedFields(job)).toEqual({ progress: 100 });
    expect(undocumentedFields(job.output)).toEqual({ seconds: 6 });
  });
});
