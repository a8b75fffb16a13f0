// Downloads through the built SDK in a fresh process: a 1 MiB file first (the first call loads
// undici and opens the connection, once per process), then the measured file twice: the first
// time runs on code the JIT has not optimised yet, the second is what a long-running service
// sees. Prints the three times and the process's peak RSS.
import { rmSync } from "node:fs";
import { Pixazo } from "../../dist/index.js";

const [url, target] = process.argv.slice(2);
const client = new Pixazo({ apiKey: "bench", baseUrl: "http://127.0.0.1:9" });
const timed = async (source) => {
  const started = performance.now();
  await client.download(source, target);
  const seconds = (performance.now() - started) / 1000;
  rmSync(target);
  return seconds;
};
const firstCallSeconds = await timed(url.replace(/mb=\d+/, "mb=1"));
const coldSeconds = await timed(url);
const warmSeconds = await timed(url);
await client.close();
console.log(JSON.stringify({ firstCallSeconds, coldSeconds, warmSeconds, maxRssKiB: process.resourceUsage().maxRSS }));
