/**
 * The test kit next to a user's own msw server in its strictest mode: nothing of the fake's own
 * traffic (its webhook callbacks) or of the SDK's requests passes through what msw intercepts,
 * so a test that mocks some other API with msw can still run the fake gateway.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Pixazo, WebhookReceiver } from "../../src/index.js";
import { startFakeGateway } from "../../src/testing/index.js";
import { afterThisTest, PROMPT, until } from "../support/gateway.js";

const unhandled: string[] = [];
const userServer = setupServer(http.get("https://api.example.com/user", () => HttpResponse.json({ name: "Ada" })));
beforeAll(() =>
  userServer.listen({
    onUnhandledRequest: (request, print) => {
      unhandled.push(`${request.method} ${request.url}`);
      print.error();
    },
  }),
);
afterAll(() => userServer.close());

it("delivers the fake's callbacks and the SDK's requests past a user's msw in error mode", async () => {
  const gateway = await startFakeGateway();
  afterThisTest(() => gateway.close());
  const client = new Pixazo({ apiKey: "test-key", baseUrl: gateway.url });
  afterThisTest(() => client.close());
  const receiver = new WebhookReceiver({ verify: client });
  const hooks = createServer(receiver.nodeHandler());
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  afterThisTest(() => new Promise<void>((resolve) => hooks.close(() => resolve())));

  const job = await client.generate("ltx-2-3-text-to-video", PROMPT, {
    webhook: { url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks` },
    events: receiver,
    timeoutMs: 20_000,
  });
  await until(() => gateway.deliveries[0]?.response !== undefined || gateway.deliveries[0]?.error !== undefined);
  const user = (await (await fetch("https://api.example.com/user")).json()) as { name: string };

  expect(job.status).toBe("COMPLETED");
  expect(gateway.deliveries.map((delivery) => delivery.response ?? delivery.error)).toEqual([200]);
  expect(gateway.requestsOf("status")).toHaveLength(1); // the verification: the wait ended on the callback
  expect(unhandled).toEqual([]);
  expect(user.name).toBe("Ada"); // the user's own mock still answers
});
