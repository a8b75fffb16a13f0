// An app's use of every entry point, compiled with skipLibCheck off: the published types (and
// zod's, which they name) must compile under the TypeScript versions the README states.
import { type CompletedJob, GenerationFailedError, Pixazo } from "pixazo-ltx";
import { RedisJobEvents } from "pixazo-ltx/redis";
import { ltx23TextToVideoInput } from "pixazo-ltx/schemas";
import { startFakeGateway } from "pixazo-ltx/testing";
import { parseWebhook, WebhookReceiver } from "pixazo-ltx/webhooks";

export async function app(): Promise<string | undefined> {
  const gateway = await startFakeGateway();
  const client = new Pixazo({ apiKey: "test", baseUrl: gateway.url });
  const receiver = new WebhookReceiver({ verify: client });
  const job: CompletedJob = await client.generate("ltx-2-3-text-to-video", { prompt: "x", duration: 8 });
  const event = parseWebhook('{"request_id":"a","status":"COMPLETED"}');
  void receiver;
  void RedisJobEvents;
  void GenerationFailedError;
  if (!ltx23TextToVideoInput.safeParse({ prompt: "x" }).success) return undefined;
  return job.output.media_url[0] ?? event.status;
}
