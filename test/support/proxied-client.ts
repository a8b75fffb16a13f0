/**
 * A user's program behind a proxy, run as its own process by `env-proxy.test.ts`. It gets the
 * proxy settings (`HTTPS_PROXY`, `NO_PROXY`) and the test certificate (`NODE_EXTRA_CA_CERTS`)
 * from its environment, as a user's program would, and prints what it did as one JSON line.
 *
 * Arguments: the gateway URL, the API key, the media URL's origin, the output file, and JSON
 * client options (`{ "proxyFromEnv": false }`, or `{ "ownDispatcher": true }`).
 */
import dns from "node:dns";
import { Agent } from "undici";
import { Pixazo, type PixazoOptions } from "../../src/index.js";

// The tests' `.test` host names are this machine: looked up here, they never reach a resolver.
const systemLookup = dns.lookup;
Object.assign(dns, {
  lookup(hostname: string, options: unknown, callback?: (...args: unknown[]) => void): void {
    const done = (typeof options === "function" ? options : callback) as (...args: unknown[]) => void;
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all;
    if (!hostname.endsWith(".test"))
      return void (systemLookup as (...args: unknown[]) => void)(hostname, options, callback);
    if (all) done(null, [{ address: "127.0.0.1", family: 4 }]);
    else done(null, "127.0.0.1", 4);
  },
});

const [baseUrl, apiKey, mediaOrigin, file, json] = process.argv.slice(2) as [string, string, string, string, string];
const { ownDispatcher, ...options } = JSON.parse(json) as PixazoOptions & { ownDispatcher?: boolean };
const dispatcher = ownDispatcher ? new Agent() : undefined;
const client = new Pixazo({ apiKey, baseUrl, pollIntervalMs: 10, maxPollIntervalMs: 20, dispatcher, ...options });
const submitted = await client.submit("ltx-2-3-text-to-video", { prompt: "A lighthouse behind a proxy" });
const status = await client.status(submitted.request_id);
const job = await client.wait(submitted.request_id);
// The fake gateway names its loopback media host; the same file is asked of the named host.
const media = new URL(job.output?.media_url[0] ?? "");
const download = await client.download(`${mediaOrigin}${media.pathname}`, file);
await client.close();
await dispatcher?.close();
console.log(JSON.stringify({ requestId: submitted.request_id, read: status.status, bytes: download.bytes }));
