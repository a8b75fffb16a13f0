import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CompletedJob, GenerationFailedError, Pixazo, PixazoError, SubmitUncertainError } from "../src/index.js";
import { documentedErrors, type FakeGateway, startFakeGateway } from "../src/testing/index.js";
import { PROMPT, settle, TEST_KEY, until } from "./support/gateway.js";
import { expectNoNewHandles, openHandles } from "./support/handles.js";

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeAll(() => void process.on("unhandledRejection", onUnhandled));
afterAll(() => void process.off("unhandledRejection", onUnhandled));

/** Closes the run and checks it left no unhandled rejection and no handle behind. */
async function closeAndCheck(client: Pixazo, gateway: FakeGateway, before: Record<string, number>): Promise<void> {
  await client.close();
  await gateway.close();
  await settle(50);
  expect(unhandled).toEqual([]);
  expectNoNewHandles(before);
}

/** Arms the mix of faults of the chaos run, each on a fraction of the requests. */
function armChaos(gateway: FakeGateway): void {
  const retryNow = { "retry-after": "0" };
  // Submits: refusals that prove nothing was created, and losses after the job was created.
  gateway.inject({ on: "submit", rate: 0.05, fault: { kind: "response", status: 429, headers: retryNow } });
  gateway.inject({ on: "submit", rate: 0.03, fault: { kind: "reset" }, afterProcessing: true });
  gateway.inject({ on: "submit", rate: 0.03, fault: { kind: "reset-before-read" } });
  gateway.inject({ on: "submit", rate: 0.02, fault: documentedErrors.internalError });
  gateway.inject({ on: "submit", rate: 0.02, fault: { kind: "response", status: 202, body: { status: "QUEUED" } } });
  // Status reads: everything a network and a proxy can do.
  gateway.inject({ on: "status", rate: 0.06, fault: { kind: "response", status: 503, headers: retryNow } });
  gateway.inject({ on: "status", rate: 0.04, fault: { kind: "reset" } });
  gateway.inject({ on: "status", rate: 0.02, fault: { kind: "hang" } });
  gateway.inject({ on: "status", rate: 0.02, fault: { kind: "stall-body" } });
  gateway.inject({ on: "status", rate: 0.03, fault: { kind: "truncated-body" } });
  gateway.inject({
    on: "status",
    rate: 0.02,
    fault: { kind: "response", status: 200, body: "<html>Bad gateway</html>" },
  });
  gateway.inject({ on: "status", rate: 0.02, fault: { kind: "response", status: 200, body: "{not json" } });
  gateway.inject({
    on: "status",
    rate: 0.02,
    fault: { kind: "response", status: 429, headers: { "retry-after": "0" } },
  });
}

describe("chaos: a few hundred jobs through a misbehaving gateway", () => {
  it("ends every job right, submits none twice, and leaves nothing behind", async () => {
    const before = openHandles();
    const gateway = await startFakeGateway();
    const client = new Pixazo({
      apiKey: TEST_KEY,
      baseUrl: gateway.url,
      pollIntervalMs: 10,
      maxPollIntervalMs: 40,
      requestTimeoutMs: 1_000,
      maxRetries: 6,
      maxConnections: 32,
    });
    const JOBS = 300;
    // Every fifth job fails, every seventh errors, some see an undocumented status on the way.
    for (let index = 0; index < JOBS * 2; index++) {
      gateway.nextJob(
        index % 5 === 0
          ? { outcome: "FAILED", error: "scripted failure" }
          : index % 7 === 0
            ? { outcome: "ERROR" }
            : index % 11 === 0
              ? { statuses: ["QUEUED", "WARMING_UP", "PROCESSING", "COMPLETED"] }
              : {},
      );
    }
    armChaos(gateway);
    // An idle keep-alive socket closed by the server now and then, as load balancers do.
    const idleDrops = setInterval(() => gateway.dropIdleConnections(), 400);
    const refusal = settle(150).then(() => gateway.refuseConnections(100));

    const results = await Promise.allSettled(
      Array.from({ length: JOBS }, () => client.generate("ltx-2-3-text-to-video", PROMPT, { timeoutMs: 60_000 })),
    );
    await refusal;
    clearInterval(idleDrops);
    gateway.clearFaults();

    const completed = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    const uncertain = errors.filter((e) => e instanceof SubmitUncertainError);
    const failed = errors.filter((e): e is GenerationFailedError => e instanceof GenerationFailedError);

    // Every outcome is typed, and every job that got an id ended as the gateway says it did.
    // Other errors are retries running out on a job's status (they carry its id) or a submit
    // refused every time (no job, nothing charged).
    for (const error of errors) expect(error).toBeInstanceOf(PixazoError);
    for (const job of completed as CompletedJob[])
      expect(gateway.jobs.get(job.request_id)?.statuses.at(-1)).toBe("COMPLETED");
    for (const error of failed) expect(gateway.jobs.get(error.requestId)?.statuses.at(-1)).toBe(error.status);
    const others = errors.filter((e) => !(e instanceof SubmitUncertainError) && !(e instanceof GenerationFailedError));
    for (const error of others) {
      const requestId = (error as PixazoError).requestId;
      if (requestId) expect(gateway.jobs.has(requestId)).toBe(true);
    }
    // Not vacuous: most jobs reached the gateway's verdict despite the faults.
    expect(completed.length + failed.length).toBeGreaterThan(JOBS / 2);
    expect(failed.length).toBeGreaterThan(0);

    // Nothing submitted twice: every job the gateway created reached its caller, except at most
    // one per SubmitUncertainError the caller was told about.
    const accepted = new Set(
      [...completed.map((job) => job.request_id), ...errors.map((e) => (e as PixazoError).requestId)].filter(
        (id): id is string => typeof id === "string" && gateway.jobs.has(id),
      ),
    );
    const orphans = [...gateway.jobs.keys()].filter((id) => !accepted.has(id));
    expect(accepted.size).toBe(
      completed.length +
        errors.filter((e) => (e as PixazoError).requestId && gateway.jobs.has((e as PixazoError).requestId ?? ""))
          .length,
    );
    expect(orphans.length).toBeLessThanOrEqual(uncertain.length);
    expect(gateway.jobs.size).toBe(accepted.size + orphans.length);

    await closeAndCheck(client, gateway, before);
  }, 60_000);

  it("stops all traffic promptly when the run is aborted", async () => {
    const before = openHandles();
    const gateway = await startFakeGateway({ job: { statuses: ["QUEUED", "PROCESSING"] } });
    const client = new Pixazo({
      apiKey: TEST_KEY,
      baseUrl: gateway.url,
      pollIntervalMs: 10,
      maxPollIntervalMs: 20,
      requestTimeoutMs: 2_000,
    });
    gateway.inject({ on: "status", rate: 0.1, fault: { kind: "hang" } });
    const controller = new AbortController();
    const reason = new Error("shutting down");

    const results = Promise.allSettled(
      Array.from({ length: 200 }, () =>
        client.generate("ltx-2-3-text-to-video", PROMPT, { signal: controller.signal }),
      ),
    );
    await until(() => gateway.requestsOf("status").length > 200);
    controller.abort(reason);
    const receivedAtAbort = gateway.requests.length;
    const settled = await results;
    await settle(200);
    const afterAbort = gateway.requests.length;
    await settle(300);

    expect(settled.every((r) => r.status === "rejected" && r.reason === reason)).toBe(true);
    // Requests already on the wire may still land (at most the in-flight bound); then silence.
    expect(afterAbort - receivedAtAbort).toBeLessThanOrEqual(16);
    expect(gateway.requests.length).toBe(afterAbort);
    await closeAndCheck(client, gateway, before);
  }, 30_000);
});
