/**
 * The receiver mounted in real frameworks, the way examples/webhooks/mounting.ts mounts it (the
 * README's snippets), with the fake gateway delivering real callbacks over loopback and the
 * client verifying them: every wait ends on the callback, with no polling, and nothing is
 * reported as an error.
 */
import { once } from "node:events";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import Koa from "koa";
import koaBodyParser from "koa-bodyparser";
import { describe, expect, it } from "vitest";
import * as mounting from "../../examples/webhooks/mounting.js";
import { type JobStatus, type WebhookPayloadError, WebhookReceiver } from "../../src/index.js";
import { afterThisTest, PROMPT, setup } from "../support/gateway.js";

const FRAMEWORKS: [string, (receiver: WebhookReceiver) => Promise<mounting.Mounted>][] = [
  ["node:http", mounting.plainNode],
  ["Express 4 with global urlencoded(), raw() and json({ type: text/plain })", mounting.express4],
  ["Express 5 without a parser", mounting.express5NoParser],
  ["Express 5 with json()", mounting.express5Json],
  ["Connect with body-parser urlencoded()", mounting.connectApp],
  ["Fastify with a buffer content-type parser", mounting.fastify],
  ["Fastify after its JSON parser, reply.hijack()", mounting.fastifyParsed],
  ["Koa without a body parser", mounting.koa],
  ["Koa with koa-bodyparser", mounting.koaBodyParserApp],
  ["Hono on @hono/node-server", mounting.hono],
  ["Hono after c.req.json()", mounting.honoAfterRead],
  ["a Next.js App Router route handler", mounting.nextRoute],
];

describe.each(FRAMEWORKS)("webhooks in %s", (_name, mount) => {
  it("end the wait on the verified callback, with no polling and no error", async () => {
    const { gateway, client } = await setup();
    const errors: unknown[] = [];
    const events: JobStatus[] = [];
    const receiver = new WebhookReceiver({
      verify: client,
      onError: (error) => void errors.push(error),
      onEvent: (event) => void events.push(event),
    });
    const server = await mount(receiver);
    afterThisTest(() => server.close());
    const seen: string[] = [];

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT, {
      webhook: { url: server.url },
      events: receiver,
      onStatus: (status) => void seen.push(status.status),
    });

    expect(job.status).toBe("COMPLETED");
    expect(seen).toEqual(["COMPLETED"]);
    expect(gateway.requestsOf("status")).toHaveLength(1); // the verification read, nothing else
    expect(gateway.deliveries.map((delivery) => delivery.response)).toEqual([200]);
    expect(events.map((event) => event.status)).toEqual(["COMPLETED"]);
    expect(errors).toEqual([]);
  });
});

describe("mounted after a parser, without handing on its body", () => {
  async function deliver(url: string) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request_id: "ltx-2-3-text-to-video_1", status: "COMPLETED" }),
    });
    return { status: response.status, body: (await response.json()) as { message: string } };
  }

  it.each([
    [
      "Koa with koa-bodyparser",
      async (receiver: WebhookReceiver) => {
        const app = new Koa();
        app.use(koaBodyParser());
        const handler = receiver.nodeHandler();
        app.use((ctx) => {
          ctx.respond = false;
          handler(ctx.req, ctx.res);
        });
        const server = app.listen(0, "127.0.0.1");
        await once(server, "listening");
        afterThisTest(() => new Promise<void>((resolve) => server.close(() => resolve())));
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
      },
    ],
    [
      "Fastify's JSON parser and reply.hijack()",
      async (receiver: WebhookReceiver) => {
        const app = Fastify();
        const handler = receiver.nodeHandler();
        app.post("/hooks", (request, reply) => {
          reply.hijack();
          handler(request.raw, reply.raw);
        });
        await app.listen({ port: 0, host: "127.0.0.1" });
        afterThisTest(() => app.close());
        return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/hooks`;
      },
    ],
  ])("%s: answers 500 saying how to mount the handler, and reports it", async (_name, start) => {
    const errors: unknown[] = [];
    const receiver = new WebhookReceiver({ onError: (error) => void errors.push(error) });
    const url = await start(receiver);

    const answer = await deliver(url);

    expect(answer.status).toBe(500);
    expect(answer.body.message).toBe("The receiver could not read the body; its owner's log says why.");
    expect((errors[0] as WebhookPayloadError).problem).toBe("unreadable");
    expect((errors[0] as WebhookPayloadError).message).toContain("mount the webhook handler before any body parser");
  });
});

describe("the webhook guide's mounting snippets", () => {
  it("are the code the framework tests run", () => {
    const source = readFileSync(new URL("../../examples/webhooks/mounting.ts", import.meta.url), "utf8");
    const guide = readFileSync(new URL("../../docs/webhooks.md", import.meta.url), "utf8");
    const regions = [...source.matchAll(/\/\/ #region (\S+)\n([\s\S]*?)\s*\/\/ #endregion \1/g)];
    expect(regions.length).toBeGreaterThanOrEqual(8);
    for (const [, name, code = ""] of regions) {
      const snippet = code
        .split("\n")
        .map((line) => line.replace(/^ {2}/, ""))
        .join("\n")
        .trim();
      expect(guide, `docs/webhooks.md snippet "${name}"`).toContain(snippet);
    }
  });
});
