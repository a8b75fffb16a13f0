// A Cloudflare Worker using the package as an app would: bundled the way wrangler bundles
// (esbuild, conditions "workerd" / "worker" / "browser"), run on workerd through miniflare with
// no compatibility flags (no nodejs_compat: no node: module exists). GET /run generates a video
// whose wait ends on a webhook this same Worker receives at /hooks, then fetches the media.
// /hooks is the receiver's handler called with the platform's own (request, env, ctx), as
// `export default { fetch: receiver.fetchHandler() }` would be: its processing is kept alive by
// ctx.waitUntil, found on its own, and the env (holding the key) never reaches an answer.
import { Pixazo, PixazoError, WebhookReceiver } from "pixazo-ltx";

let app;

function appFor(env) {
  if (!app) {
    const client = new Pixazo({ apiKey: env.PIXAZO_API_KEY, baseUrl: env.GATEWAY_URL });
    const receiver = new WebhookReceiver({ verify: client });
    app = { client, receiver, hooks: receiver.fetchHandler() };
  }
  return app;
}

export default {
  async fetch(request, env, ctx) {
    const { client, receiver, hooks } = appFor(env);
    const url = new URL(request.url);
    if (url.pathname === "/hooks") return hooks(request, env, ctx);
    if (url.pathname !== "/run") return new Response("not found", { status: 404 });
    const job = await client.generate(
      "ltx-2-3-text-to-video",
      { prompt: "A lighthouse in a storm" },
      { webhook: { url: `${url.origin}/hooks` }, events: receiver },
    );
    const media = await fetch(job.output.media_url[0]);
    const bytes = new Uint8Array(await media.arrayBuffer());
    let download = "saved";
    try {
      await client.download(job, "video.mp4");
    } catch (error) {
      download = error instanceof PixazoError ? `${error.name}: ${error.message}` : `not a PixazoError: ${error}`;
    }
    return Response.json({
      status: job.status,
      mediaBytes: bytes.length,
      download,
      process: typeof process,
      buffer: typeof Buffer,
    });
  },
};
