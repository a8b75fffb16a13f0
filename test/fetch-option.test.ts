import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GenerationFailedError, InsufficientBalanceError, Pixazo, UnexpectedResponseError } from "../src/index.js";
import { type FakeGatewayState, gatewayRoutes } from "../src/testing/routes.js";
import { PROMPT, rejectionOf, TEST_KEY } from "./support/gateway.js";
import { MINIMAL_INPUTS } from "./support/inputs.js";

// msw intercepts the global fetch in this process; the base URL is a loopback discard port so that
// nothing could leave the machine even if interception failed.
const BASE_URL = "http://127.0.0.1:9";
const state: FakeGatewayState = {
  jobs: new Map(),
  queuedScripts: [],
  defaultScript: {},
  apiKey: TEST_KEY,
  origin: BASE_URL,
  mediaOrigin: BASE_URL,
};
const routes = gatewayRoutes(state);
// The fake gateway's routes behind one msw handler; a path they do not serve falls through to
// onUnhandledRequest: "error".
const server = setupServer(http.all("*", async ({ request }) => routes(request)));
const seen: Request[] = [];
server.events.on("request:start", ({ request }) => {
  seen.push(request.clone());
});

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
  state.queuedScripts.length = 0;
});
afterAll(() => server.close());

const client = () =>
  new Pixazo({
    apiKey: TEST_KEY,
    baseUrl: BASE_URL,
    fetch: (input, init) => fetch(input, init),
    pollIntervalMs: 5,
    maxPollIntervalMs: 10,
  });

describe("the fetch option", () => {
  it("sends every request through the given fetch with the documented headers", async () => {
    const job = await client().generate("ltx-2-3-text-to-video", PROMPT);

    expect(job.status).toBe("COMPLETED");
    const [submit, ...reads] = seen;
    expect(submit?.method).toBe("POST");
    expect(new URL(submit?.url ?? "").pathname).toBe("/ltx-2-3-text-to-video/v1/ltx-2-3-text-to-video-request");
    expect(submit?.headers.get("ocp-apim-subscription-key")).toBe(TEST_KEY);
    expect(submit?.headers.get("content-type")).toBe("application/json");
    expect(submit?.headers.get("cache-control")).toBe("no-cache");
    expect(await submit?.json()).toEqual(PROMPT);
    expect(reads.map((read) => new URL(read.url).pathname)).toEqual(
      Array(4).fill(`/v2/requests/status/${job.request_id}`),
    );
  });

  it("maps error replies to the same error classes", async () => {
    server.use(
      http.post("*/lightricks/v1/ltx/generate", () =>
        HttpResponse.json(
          { error: "Insufficient Balance", message: "Your wallet does not have enough balance." },
          { status: 402 },
        ),
      ),
    );

    const error = await rejectionOf(client().submit("lightricks-video", PROMPT));

    expect(error).toBeInstanceOf(InsufficientBalanceError);
  });

  it("reports a failed job the same way", async () => {
    state.queuedScripts.push({ outcome: "FAILED", error: "bad input image" });

    const error = (await rejectionOf(
      client().generate("ltx-2-3-image-to-video", MINIMAL_INPUTS["ltx-2-3-image-to-video"]),
    )) as GenerationFailedError;

    expect(error).toBeInstanceOf(GenerationFailedError);
    expect(error.gatewayError).toBe("bad input image");
  });

  it("does not follow a redirect with the key", async () => {
    server.use(
      http.get(
        "*/v2/requests/status/:id",
        () => new HttpResponse(null, { status: 302, headers: { location: "http://127.0.0.2:9/steal" } }),
      ),
    );

    const error = await rejectionOf(client().status("job_1"));

    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(seen.map((request) => request.url)).toEqual([`${BASE_URL}/v2/requests/status/job_1`]);
  });
});
