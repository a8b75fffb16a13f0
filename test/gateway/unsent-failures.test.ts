import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, type Dispatcher, errors, ProxyAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, Pixazo, ValidationError } from "../../src/index.js";
import { PROMPT, rejectionOf, setup, TEST_KEY, thrownBy } from "../support/gateway.js";
import { startProxy } from "../support/proxy.js";

// Every case here fails before a byte can reach the gateway: the caller must hear "not sent"
// (a ConnectionError with mayHaveReachedGateway: false, or a ValidationError), never "a job may
// exist and may be charged". The fake gateway counts what arrived: nothing.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A forward proxy whose policy refuses every tunnel with 403, as corporate proxies do for unlisted hosts. */
async function forbiddingProxy(): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(403).end());
  server.on("connect", (_req, socket) => socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("a forward proxy refusing the tunnel", () => {
  it.each([
    ["407 from the real `proxy` package (credentials missing)", 407],
    ["403 by policy", 403],
  ])("%s: submit and status say nothing was sent", async (_name, proxyStatus) => {
    const proxyUrl = proxyStatus === 407 ? (await startProxy({ refuse: true })).url : await forbiddingProxy();
    const dispatcher = new ProxyAgent(proxyUrl);
    closers.push(() => dispatcher.close());
    const { gateway, client } = await setup({ dispatcher, maxRetries: 1 });

    const submitError = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as ConnectionError;
    const statusError = (await rejectionOf(client.status("ltx-2-3-text-to-video_x"))) as ConnectionError;

    for (const error of [submitError, statusError]) {
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.mayHaveReachedGateway).toBe(false);
      expect(error.code).toBe("ERR_PROXY_TUNNEL_REFUSED");
      expect(error.message).toContain(`the proxy refused to open a tunnel to the gateway (HTTP ${proxyStatus})`);
      expect(error.message).toContain("the request was not sent");
    }
    expect(gateway.requests).toHaveLength(0);
  });
});

describe("values that cannot travel in a header are refused before any request", () => {
  it.each([
    ["CR LF", "https://hooks.example.com/in\r\nx-evil: 1"],
    ["NUL", "https://hooks.example.com/in\u0000"],
    ["a tab", "https://hooks.example.com/\tin"],
    ["a space", "https://hooks.example.com/my hook"],
  ])("a webhook URL with %s is a ValidationError naming webhook.url", async (_name, url) => {
    const { gateway, client } = await setup();

    const error = (await rejectionOf(
      client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url } }),
    )) as ValidationError;

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.path).toEqual(["webhook", "url"]);
    expect(error.message).toContain("control characters or white space");
    expect(gateway.requests).toHaveLength(0);
  });

  it("a webhook URL behind a getter is read once: the value checked is the value sent", async () => {
    const { gateway, client } = await setup();
    let reads = 0;
    const webhook = {
      get url() {
        reads += 1;
        return reads === 1 ? "http://127.0.0.1:9/hook" : "http://127.0.0.1:9/hook\r\nx-evil: 1";
      },
    };

    await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook });

    expect(reads).toBe(1);
    expect(gateway.requestsOf("submit")[0]?.headers["x-webhook-url"]).toBe("http://127.0.0.1:9/hook");
  });

  it("a valid webhook URL is sent as the URL parser writes it (ASCII, percent-encoded)", async () => {
    // The fake gateway records the header and calls only loopback hosts, so nothing leaves.
    const { gateway, client } = await setup();

    await client.submit("ltx-2-3-text-to-video", PROMPT, { webhook: { url: "https://hööks.example.com/in?ü=1" } });

    expect(gateway.requestsOf("submit")[0]?.headers["x-webhook-url"]).toBe(
      "https://xn--hks-snaa.example.com/in?%C3%BC=1",
    );
  });

  it.each([
    ["NUL", "sk-live\u0000abc"],
    ["DEL", "sk-live\u007fabc"],
    ["a non-Latin-1 character", "sk-live-€-abc"],
    ["a space", "sk-live abc"],
  ])("an apiKey with %s is refused at construction, without echoing it", (_name, apiKey) => {
    const error = thrownBy(() => new Pixazo({ apiKey }));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(["apiKey"]);
    expect((error as Error).message).toContain("printable ASCII");
    expect((error as Error).message).not.toContain("sk-live");
    expect(JSON.stringify((error as ValidationError).issues)).not.toContain("sk-live");
  });
});

describe("the runtime's HTTP client refusing the request", () => {
  it("gets a real AbortSignal, the only kind every runtime's undici accepts", async () => {
    const signals: unknown[] = [];
    const recording = new Agent().compose((dispatch) => (options, handler) => {
      signals.push((options as { signal?: unknown }).signal);
      return dispatch(options, handler);
    });
    closers.push(() => recording.close());
    const { client } = await setup({ dispatcher: recording });

    const { request_id } = await client.submit("ltx-2-3-text-to-video", PROMPT);
    await client.status(request_id);

    expect(signals).toHaveLength(2);
    for (const signal of signals) expect(signal).toBeInstanceOf(AbortSignal);
  });

  it("an argument error from the dispatcher (Bun's undici refusing a signal) is 'not sent', and resent", async () => {
    let refusals = 0;
    const refusingOnce: Dispatcher = new Agent().compose((dispatch) => (options, handler) => {
      if (refusals++ === 0) throw new errors.InvalidArgumentError("signal must be an instance of AbortSignal");
      return dispatch(options, handler);
    });
    closers.push(() => refusingOnce.close());
    const { gateway, client } = await setup({ dispatcher: refusingOnce, maxRetries: 0 });

    const error = (await rejectionOf(client.submit("ltx-2-3-text-to-video", PROMPT))) as ConnectionError;

    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe("UND_ERR_INVALID_ARG");
    expect(error.mayHaveReachedGateway).toBe(false);
    expect(gateway.requests).toHaveLength(0);

    // Provably unsent, so a submit with retries left sends it again: exactly one job.
    refusals = 0;
    const retrying = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, dispatcher: refusingOnce });
    await retrying.submit("ltx-2-3-text-to-video", PROMPT);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });
});
