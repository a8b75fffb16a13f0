/**
 * How to mount a `WebhookReceiver` in the frameworks people use. Each function starts one server
 * on 127.0.0.1 and returns its URL; the lines between `#region` and `#endregion` are the
 * snippets of docs/webhooks.md, and test/webhooks/frameworks.test.ts runs every function with the fake
 * gateway delivering real callbacks.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import bodyParser from "body-parser";
import connect from "connect";
import express from "express";
import express5 from "express5";
import Fastify from "fastify";
import { Hono } from "hono";
import Koa from "koa";
import koaBodyParser from "koa-bodyparser";
import type { WebhookReceiver } from "pixazo-ltx/webhooks";

/** A running server: where to POST, and how to stop it. */
export interface Mounted {
  readonly url: string;
  close(): Promise<void>;
}

async function listening(server: Server, path: string): Promise<Mounted> {
  if (!server.listening) await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function plainNode(receiver: WebhookReceiver): Promise<Mounted> {
  // #region node
  const server = createServer(receiver.nodeHandler());
  // #endregion node
  server.listen(0, "127.0.0.1");
  return listening(server, "/hooks/pixazo");
}

/**
 * Express 4 with body parsers mounted globally for other routes, as many apps have them; none
 * of them takes the gateway's `application/json`, so each leaves `req.body = {}` unread.
 */
export async function express4(receiver: WebhookReceiver): Promise<Mounted> {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(express.raw());
  app.use(express.json({ type: "text/plain" }));
  // #region express
  app.post("/hooks/pixazo", receiver.nodeHandler());
  // #endregion express
  return listening(app.listen(0, "127.0.0.1"), "/hooks/pixazo");
}

/** Express 5 with no parser at all. */
export async function express5NoParser(receiver: WebhookReceiver): Promise<Mounted> {
  const app = express5();
  app.post("/hooks/pixazo", receiver.nodeHandler());
  return listening(app.listen(0, "127.0.0.1"), "/hooks/pixazo");
}

/** Express 5 with `express.json()` for the whole app. */
export async function express5Json(receiver: WebhookReceiver): Promise<Mounted> {
  const app = express5();
  app.use(express5.json());
  app.post("/hooks/pixazo", receiver.nodeHandler());
  return listening(app.listen(0, "127.0.0.1"), "/hooks/pixazo");
}

/** Connect with body-parser's `urlencoded()` in front, which skips a JSON body. */
export async function connectApp(receiver: WebhookReceiver): Promise<Mounted> {
  // #region connect
  const app = connect();
  app.use(bodyParser.urlencoded({ extended: false }));
  app.use("/hooks/pixazo", receiver.nodeHandler());
  // #endregion connect
  return listening(createServer(app).listen(0, "127.0.0.1"), "/hooks/pixazo");
}

/** Fastify, its idiomatic way: a route that keeps the raw body as a Buffer. */
export async function fastify(receiver: WebhookReceiver): Promise<Mounted> {
  const app = Fastify();
  // #region fastify
  const handler = receiver.nodeHandler();
  app.register(async (scope) => {
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    scope.post("/hooks/pixazo", (request, reply) => {
      reply.hijack();
      handler(Object.assign(request.raw, { body: request.body }), reply.raw);
    });
  });
  // #endregion fastify
  await app.listen({ port: 0, host: "127.0.0.1" });
  return listening(app.server, "/hooks/pixazo");
}

/** Fastify after its own JSON parser ran, handing the parsed body on. */
export async function fastifyParsed(receiver: WebhookReceiver): Promise<Mounted> {
  const app = Fastify();
  const handler = receiver.nodeHandler();
  app.post("/hooks/pixazo", (request, reply) => {
    reply.hijack();
    handler(Object.assign(request.raw, { body: request.body }), reply.raw);
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return listening(app.server, "/hooks/pixazo");
}

/** Koa, with or without `koa-bodyparser` in front: the same mounting serves both. */
function koaApp(receiver: WebhookReceiver, withBodyParser: boolean): Promise<Mounted> {
  const app = new Koa();
  if (withBodyParser) app.use(koaBodyParser());
  // #region koa
  const handler = receiver.nodeHandler();
  app.use((ctx, next) => {
    if (ctx.path !== "/hooks/pixazo") return next();
    ctx.respond = false; // the handler answers on ctx.res itself
    handler(Object.assign(ctx.req, { body: (ctx.request as { rawBody?: string }).rawBody }), ctx.res);
  });
  // #endregion koa
  return listening(app.listen(0, "127.0.0.1"), "/hooks/pixazo");
}

/** Koa without a body parser: the handler reads the stream. */
export function koa(receiver: WebhookReceiver): Promise<Mounted> {
  return koaApp(receiver, false);
}

/** Koa with `koa-bodyparser` before the handler: its raw text is handed on. */
export function koaBodyParserApp(receiver: WebhookReceiver): Promise<Mounted> {
  return koaApp(receiver, true);
}

/** Hono on @hono/node-server, the body unread. */
export async function hono(receiver: WebhookReceiver): Promise<Mounted> {
  const app = new Hono();
  // #region hono
  const handler = receiver.fetchHandler();
  app.post("/hooks/pixazo", (c) => handler(c.req.raw));
  // #endregion hono
  return listening(serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server, "/hooks/pixazo");
}

/** Hono after the body was read by the route (`c.req.json()`), handed on to `respond`. */
export async function honoAfterRead(receiver: WebhookReceiver): Promise<Mounted> {
  const app = new Hono();
  // #region hono-read
  app.post("/hooks/pixazo", async (c) => {
    const body: unknown = await c.req.json();
    return receiver.respond(body);
  });
  // #endregion hono-read
  return listening(serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server, "/hooks/pixazo");
}

/**
 * A Next.js App Router route handler (`app/hooks/pixazo/route.ts`): the handler exported as it
 * is, served here by @hono/node-server's adapter and called as Next.js calls a route, with the
 * request and a `{ params }` context.
 */
export async function nextRoute(receiver: WebhookReceiver): Promise<Mounted> {
  // #region next
  const POST = receiver.fetchHandler();
  // #endregion next
  const asNext = (request: Request) => POST(request, { params: Promise.resolve({}) });
  return listening(serve({ fetch: asNext, port: 0, hostname: "127.0.0.1" }) as Server, "/hooks/pixazo");
}

/**
 * AWS Lambda behind API Gateway or a function URL: the body may come base64-encoded, and the
 * function is frozen once it returns, so the processing is awaited before the answer.
 */
export function lambda(receiver: WebhookReceiver) {
  // #region lambda
  async function handler(event: { body?: string | null; isBase64Encoded?: boolean }) {
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64") : (event.body ?? "");
    const work: Promise<unknown>[] = [];
    const response = receiver.respond(body, { waitUntil: (promise) => work.push(promise) });
    await Promise.all(work); // verify and onEvent finish before Lambda freezes the function
    return {
      statusCode: response.status,
      headers: { "content-type": "application/json" },
      body: await response.text(),
    };
  }
  // #endregion lambda
  return handler;
}
