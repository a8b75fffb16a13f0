// A small Worker as users bundle it: the Fetch-runtime build, a generate against a gateway URL.
import { Pixazo } from "pixazo-ltx";

export async function run(baseUrl) {
  const client = new Pixazo({ apiKey: "bundle-key", baseUrl, pollIntervalMs: 50 });
  const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A fox in the snow" });
  await client.close();
  return { status: job.status };
}

export default { fetch: async () => new Response("ok") };
