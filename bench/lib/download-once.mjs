// One download through the built SDK in a fresh process; prints seconds and peak RSS.
import { Pixazo } from "../../dist/index.js";

const [url, target] = process.argv.slice(2);
const client = new Pixazo({ apiKey: "bench", baseUrl: "http://127.0.0.1:9" });
const started = performance.now();
await client.download(url, target);
const seconds = (performance.now() - started) / 1000;
await client.close();
console.log(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS }));
