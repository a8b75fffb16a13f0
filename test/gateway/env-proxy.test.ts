import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proxyFromEnvironment } from "../../src/http/connections.js";
import { Pixazo, ValidationError } from "../../src/index.js";
import { SAMPLE_VIDEO } from "../../src/testing/index.js";
import { PROMPT, setup, TEST_KEY, thrownBy } from "../support/gateway.js";
import { CDN_HOST, GATEWAY_HOST, httpsFront, startProxy, TEST_CERT_FILE } from "../support/proxy.js";

// A real forward proxy (the `proxy` package from npm) in front of an https gateway and media
// host (the fake gateway behind TLS with a test certificate), and a user's program, in its own
// process, that finds the proxy in its environment as curl and npm do.

const root = fileURLToPath(new URL("../..", import.meta.url));
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"];

/** The fake gateway and its media host, each behind https under a `.test` name. */
async function httpsGateway() {
  const { gateway } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
  const gatewayUrl = `https://${GATEWAY_HOST}:${await httpsFront(gateway.url)}`;
  const cdnUrl = `https://${CDN_HOST}:${await httpsFront(gateway.cdn.url)}`;
  return { gateway, gatewayUrl, cdnUrl };
}

/** Runs `proxied-client.ts` with `env` on top of a clean environment; resolves with its report. */
function runClient(
  gatewayUrl: string,
  cdnUrl: string,
  file: string,
  env: Record<string, string>,
  options: Record<string, unknown> = {},
): Promise<{ code: number | null; report: { bytes?: number; read?: string }; stderr: string }> {
  const base = { ...process.env };
  for (const name of PROXY_VARIABLES) delete base[name];
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "test/support/proxied-client.ts",
        gatewayUrl,
        TEST_KEY,
        cdnUrl,
        file,
        JSON.stringify(options),
      ],
      { cwd: root, env: { ...base, NODE_EXTRA_CA_CERTS: fileURLToPath(TEST_CERT_FILE), ...env } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, report: JSON.parse(stdout.trim() || "{}"), stderr }));
  });
}

async function outputFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "pixazo-proxy-")), "out.mp4");
}

describe("a proxy named by the environment", () => {
  it.each(["HTTPS_PROXY", "https_proxy"])(
    "%s: submit, status, wait and download all go through its tunnels, which never carry the key in clear",
    async (variable) => {
      const { gateway, gatewayUrl, cdnUrl } = await httpsGateway();
      const proxy = await startProxy();
      const file = await outputFile();

      const run = await runClient(gatewayUrl, cdnUrl, file, { [variable]: proxy.url });

      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.report).toMatchObject({ read: "COMPLETED", bytes: SAMPLE_VIDEO.byteLength });
      const targets = new Set(proxy.tunnels.map((tunnel) => tunnel.target));
      expect(targets).toEqual(new Set([new URL(gatewayUrl).host, new URL(cdnUrl).host]));
      expect(proxy.forwarded).toHaveLength(0);
      for (const tunnel of proxy.tunnels) expect(JSON.stringify(tunnel.headers)).not.toContain(TEST_KEY);
      // The key reached the gateway, inside TLS: the bytes the proxy carried never show it.
      expect(gateway.requestsOf("submit")[0]?.headers["ocp-apim-subscription-key"]).toBe(TEST_KEY);
      expect(gateway.requestsOf("status").length).toBeGreaterThanOrEqual(2);
      expect(proxy.carried().length).toBeGreaterThan(1000);
      expect(proxy.carried().includes(TEST_KEY)).toBe(false);
      expect(await readFile(file)).toEqual(Buffer.from(SAMPLE_VIDEO));
    },
  );

  it("NO_PROXY sends the hosts it lists directly, the others through the proxy", async () => {
    const { gatewayUrl, cdnUrl } = await httpsGateway();
    const proxy = await startProxy();

    const run = await runClient(gatewayUrl, cdnUrl, await outputFile(), {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: `example.com,${GATEWAY_HOST}`,
    });

    expect(run.code).toBe(0);
    expect(proxy.tunnels.map((tunnel) => tunnel.target)).toEqual([new URL(cdnUrl).host]);
  });

  it.each([
    ["proxyFromEnv: false", { proxyFromEnv: false }],
    ["a dispatcher of the caller's", { ownDispatcher: true }],
  ])("%s: the environment's proxy is not used", async (_name, options) => {
    const { gateway, gatewayUrl, cdnUrl } = await httpsGateway();
    const proxy = await startProxy();

    const run = await runClient(gatewayUrl, cdnUrl, await outputFile(), { HTTPS_PROXY: proxy.url }, options);

    expect(run.code).toBe(0);
    expect(proxy.tunnels).toHaveLength(0);
    expect(gateway.requestsOf("submit")).toHaveLength(1);
  });
});

describe("in this process", () => {
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

  it("a loopback gateway is never reached through the proxy: there it would name the proxy's machine", async () => {
    const proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    process.env.HTTPS_PROXY = proxy.url;
    const { gateway } = await setup({}, { job: { queuedPolls: 0, processingPolls: 0 } });
    const client = new Pixazo({ apiKey: TEST_KEY, baseUrl: gateway.url, pollIntervalMs: 10 });

    const job = await client.generate("ltx-2-3-text-to-video", PROMPT);
    await client.download(job, await outputFile());
    await client.close();

    expect(proxy.tunnels).toHaveLength(0);
    expect(proxy.forwarded).toHaveLength(0);
  });

  it("reads the lower-case variables first, and the https one for https, as curl does", () => {
    expect(
      proxyFromEnvironment({ https_proxy: "http://lower:1", HTTPS_PROXY: "http://upper:1", NO_PROXY: "a.example" }),
    ).toEqual({ httpProxy: undefined, httpsProxy: "http://lower:1", noProxy: "a.example" });
    expect(proxyFromEnvironment({ NO_PROXY: "a.example" })).toBeUndefined();
  });

  it("an unparsable proxy URL is a ValidationError naming the variable, without its credentials", () => {
    process.env.HTTPS_PROXY = "ftp://user:hunter2@proxy.corp:21";

    const error = thrownBy(() => new Pixazo({ apiKey: TEST_KEY }));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toEqual(["HTTPS_PROXY"]);
    expect((error as Error).message).toContain("HTTPS_PROXY: (an environment variable) is not");
    expect((error as Error).message).not.toContain("hunter2");
  });
});
