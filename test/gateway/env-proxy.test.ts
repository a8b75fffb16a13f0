import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Pixazo, ValidationError } from "../../src/index.js";
import { SAMPLE_VIDEO } from "../../src/testing/index.js";
import { PROMPT, setup, TEST_KEY } from "../support/gateway.js";
import { startProxy } from "../support/proxy.js";

// A real forward proxy (the `proxy` package) started on loopback; the client finds it in the
// environment, as curl and npm do.

const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"];
let saved: Record<string, string | undefined> = {};

beforeEach(() => {
  saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARIABLES) delete process.env[name];
});
afterEach(() => {
  for (const name of PROXY_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** The fake gateway, fast jobs, and a client made after the environment was set. */
async function gatewayAndClient(options: ConstructorParameters<typeof Pixazo>[0] = {}) {
  const { gateway } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
  const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, pollIntervalMs: 10, ...options });
  return { gateway, client };
}

describe("HTTP_PROXY / HTTPS_PROXY / NO_PROXY", () => {
  it.each(["HTTP_PROXY", "http_proxy"])(
    "%s: submit, status, wait and download all go through the proxy's tunnels, which never see the key",
    async (variable) => {
      const proxy = await startProxy();
      process.env[variable] = proxy.url;
      const { gateway, client } = await gatewayAndClient();
      const file = join(await mkdtemp(join(tmpdir(), "pixazo-proxy-")), "out.mp4");

      const submitted = await client.submit("ltx-2-3-text-to-video", PROMPT);
      await client.status(submitted.request_id);
      const job = await client.wait(submitted.request_id);
      await client.download(job, file);
      await client.close();

      const gatewayHost = new URL(gateway.url).host;
      const cdnHost = new URL(gateway.cdn.url).host;
      expect(proxy.tunnels.map((tunnel) => tunnel.target)).toEqual(expect.arrayContaining([gatewayHost, cdnHost]));
      expect(proxy.forwarded).toHaveLength(0);
      for (const tunnel of proxy.tunnels) {
        expect(JSON.stringify(tunnel.headers)).not.toContain(TEST_KEY);
        expect(Object.keys(tunnel.headers)).not.toContain("ocp-apim-subscription-key");
      }
      expect(gateway.requestsOf("submit")).toHaveLength(1);
      expect(gateway.requestsOf("status").length).toBeGreaterThanOrEqual(2);
      expect(await readFile(file)).toEqual(Buffer.from(SAMPLE_VIDEO));
    },
  );

  it("NO_PROXY reaches the listed hosts directly", async () => {
    const proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = "localhost,127.0.0.1";
    const { gateway, client } = await gatewayAndClient();

    await client.submit("ltx-2-3-text-to-video", PROMPT);
    await client.close();

    expect(proxy.tunnels).toHaveLength(0);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("proxyFromEnv: false ignores the environment", async () => {
    const proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    const { gateway, client } = await gatewayAndClient({ proxyFromEnv: false });

    await client.submit("ltx-2-3-text-to-video", PROMPT);
    await client.close();

    expect(proxy.tunnels).toHaveLength(0);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("a caller's dispatcher wins over the environment", async () => {
    const proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    const direct = new Agent();
    const { gateway, client } = await gatewayAndClient({ dispatcher: direct });

    await client.submit("ltx-2-3-text-to-video", PROMPT);
    await direct.close();

    expect(proxy.tunnels).toHaveLength(0);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("the environment is read when the client is made, not at each request", async () => {
    const proxy = await startProxy();
    const { gateway, client } = await gatewayAndClient();
    process.env.HTTP_PROXY = proxy.url;

    await client.submit("ltx-2-3-text-to-video", PROMPT);
    await client.close();

    expect(proxy.tunnels).toHaveLength(0);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });

  it("an unparsable proxy URL is a ValidationError naming the variable, without its credentials", () => {
    process.env.HTTPS_PROXY = "ftp://user:hunter2@proxy.corp:21";

    let error: unknown;
    try {
      new Pixazo({ apiKey: TEST_KEY });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain("HTTPS_PROXY");
    expect((error as Error).message).not.toContain("hunter2");
  });
});
