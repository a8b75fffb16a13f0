/**
 * Every JSON block of the API reference (74: submit bodies, submit replies, completed status
 * reads, callbacks, ERROR statuses, refused submits), extracted by
 * scripts/extract-reference-json.mjs. Each is parsed by the SDK as the SDK meets it (served by
 * the fake gateway, or delivered to a webhook receiver), and the fake's own answers are compared
 * with the reference's shapes.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  InsufficientBalanceError,
  type JobStatus,
  MODELS,
  type ModelId,
  ModelNotFoundError,
  WebhookReceiver,
} from "../src/index.js";
import { documentedErrors } from "../src/testing/index.js";
import { parseWebhook } from "../src/webhooks/index.js";
import { rejectionOf, setup } from "./support/gateway.js";
import { MINIMAL_INPUTS } from "./support/inputs.js";

interface Block {
  line: number;
  model: ModelId;
  section: string;
  kind: "request" | "submit-reply" | "status-reply" | "callback" | "status-error" | "error-body";
  httpStatus?: number;
  body: Record<string, unknown>;
}

const blocks = JSON.parse(
  readFileSync(new URL("./fixtures/reference-json-blocks.json", import.meta.url), "utf8"),
) as Block[];
const of = (kind: Block["kind"]) => blocks.filter((block) => block.kind === kind);
const named = (list: Block[]) => list.map((block) => [`${block.model}, line ${block.line}`, block] as const);

/** What kind of value each field holds, and the form of each timestamp: the shape to compare. */
function shapeOf(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => {
      if (typeof field === "string" && /^\d{4}-\d\d-\d\dT/.test(field)) return [key, "ISO timestamp"];
      if (typeof field === "string" && /^\d{4}-\d\d-\d\d \d/.test(field)) return [key, "spaced timestamp"];
      return [key, field === null ? "null" : Array.isArray(field) ? "array" : typeof field];
    }),
  );
}

describe("the reference's 74 JSON blocks", () => {
  it("are all in the fixture, every model with each kind", () => {
    expect(blocks).toHaveLength(74);
    for (const model of Object.keys(MODELS)) {
      const kinds = new Set(blocks.filter((block) => block.model === model).map((block) => block.kind));
      expect([...kinds].sort(), model).toEqual(
        ["callback", "error-body", "request", "status-error", "status-reply", "submit-reply"].sort(),
      );
    }
  });
});

describe("submit replies", () => {
  it.each(named(of("submit-reply")))("%s: served by the fake, returned by submit as sent", async (_, block) => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "submit", fault: { kind: "response", status: 202, body: block.body } });
    const submitted = await client.submit(block.model, MINIMAL_INPUTS[block.model] as never);
    expect(submitted).toEqual(block.body);
  });

  it("have the shape of the fake's own", async () => {
    const { client } = await setup();
    for (const block of of("submit-reply")) {
      const submitted = await client.submit(block.model, MINIMAL_INPUTS[block.model] as never);
      expect(shapeOf(submitted as never), block.model).toEqual(shapeOf(block.body));
    }
  });
});

describe("completed status reads", () => {
  it.each(named(of("status-reply")))("%s: served by the fake, read by status and wait", async (_, block) => {
    const { gateway, client } = await setup();
    const requestId = String(block.body.request_id);
    gateway.inject({ on: "status", fault: { kind: "response", status: 200, body: block.body }, times: 2 });
    expect(await client.status(requestId)).toEqual({ ...block.body });
    const job = await client.wait(requestId);
    expect(job.output.media_url).toEqual((block.body.output as { media_url: string[] }).media_url);
  });

  it("have the shape, media type and file name of the fake's own, model by model", async () => {
    const { client } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
    for (const block of of("status-reply")) {
      const job = await client.generate(block.model, MINIMAL_INPUTS[block.model] as never);
      const documented = block.body.output as { media_url: string[]; media_type: string };
      expect(shapeOf(job as never), block.model).toEqual(shapeOf(block.body));
      expect(job.output.media_type, block.model).toBe(documented.media_type);
      expect(job.output.media_url[0]?.split("/").at(-1), block.model).toBe(documented.media_url[0]?.split("/").at(-1));
    }
  });
});

describe("callbacks and ERROR statuses", () => {
  it.each(named([...of("callback"), ...of("status-error")]))(
    "%s: parsed by parseWebhook and heard by a receiver",
    async (_, block) => {
      const parsed = parseWebhook(JSON.stringify(block.body));
      expect(parsed.request_id).toBe(block.body.request_id);
      expect(parsed.status).toBe(block.body.status);
      const heard: JobStatus[] = [];
      const receiver = new WebhookReceiver({ onEvent: (job) => void heard.push(job) });
      const answer = await receiver.fetchHandler()(
        new Request("http://127.0.0.1/hooks", { method: "POST", body: JSON.stringify(block.body) }),
      );
      expect(answer.status).toBe(200);
      await expect.poll(() => heard.length).toBe(1);
      expect(heard[0]).toEqual(parsed);
    },
  );

  it("a completed callback has the shape, media type and timestamp forms of the fake's own", async () => {
    const documented = of("callback").find((block) => block.body.status === "COMPLETED");
    const { client } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0, stepMs: 5 } });
    const received: Record<string, unknown>[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
      await client.submit("ltx-2-3-text-to-video", { prompt: "x" }, { webhook: { url } });
      await expect.poll(() => received.length).toBe(1);
      expect(shapeOf(received[0] ?? {})).toEqual(shapeOf(documented?.body ?? {}));
    } finally {
      server.close();
    }
  });
});

describe("refused submits", () => {
  it.each(named(of("error-body")))("%s: served by the fake, thrown as the documented class", async (_, block) => {
    const { gateway, client } = await setup();
    gateway.inject({ on: "submit", fault: { kind: "response", status: block.httpStatus ?? 0, body: block.body } });
    const error = await rejectionOf(client.submit(block.model, MINIMAL_INPUTS[block.model] as never));
    expect(error).toBeInstanceOf(block.httpStatus === 402 ? InsufficientBalanceError : ModelNotFoundError);
    expect((error as Error).message).toContain(String(block.body.message));
  });

  it("are the bodies of the test kit's documentedErrors", () => {
    for (const block of of("error-body")) {
      const fault =
        block.httpStatus === 402 ? documentedErrors.insufficientBalance : documentedErrors.modelNotFound(block.model);
      expect(fault, `${block.model}, line ${block.line}`).toMatchObject({ status: block.httpStatus, body: block.body });
    }
  });
});
