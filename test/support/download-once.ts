/**
 * Downloads one URL to one path with a fresh client and prints what happened as JSON: the
 * result, or the error's name, message and code. Run as a child process by tests that need a
 * process of its own (resource limits).
 */
import { Pixazo } from "../../src/index.js";

const [url = "", target = ""] = process.argv.slice(2);
const client = new Pixazo({ apiKey: "test-key", baseUrl: "http://127.0.0.1:9" });
try {
  const result = await client.download(url, target);
  console.log(JSON.stringify({ result }));
} catch (error) {
  const { name, message } = error as Error;
  console.log(
    JSON.stringify({ error: { name, message, causeCode: ((error as Error).cause as { code?: string })?.code } }),
  );
} finally {
  await client.close();
}
