// An app's use of every entry point, compiled with skipLibCheck off: the published types (and
// zod's, which they name) must compile under the TypeScript versions the README states.
import {
  type CompletedJob,
  GenerationFailedError,
  WebhookReceiver as MainEntryReceiver,
  Pixazo,
  type PixazoError,
} from "pixazo-ltx";
import { RedisJobEvents } from "pixazo-ltx/redis";
import { ltx23TextToVideoInput } from "pixazo-ltx/schemas";
import { startFakeGateway } from "pixazo-ltx/testing";
import { parseWebhook, WebhookReceiver, PixazoError as WebhooksPixazoError } from "pixazo-ltx/webhooks";

export async function app(): Promise<string | undefined> {
  const gateway = await startFakeGateway();
  const client = new Pixazo({ apiKey: "test", baseUrl: gateway.url });
  const receiver = new WebhookReceiver({ verify: client });
  const job: CompletedJob = await client.generate("ltx-2-3-text-to-video", { prompt: "x", duration: 8 });
  const event = parseWebhook('{"request_id":"a","status":"COMPLETED"}');
  void receiver;
  // One class, one type, whichever entry names it (node10 resolution once gave two).
  const sameReceiver: WebhookReceiver = new MainEntryReceiver();
  const sameError: PixazoError = new WebhooksPixazoError("x");
  void sameReceiver;
  void sameError;
  void RedisJobEvents;
  void GenerationFailedError;
  if (!ltx23TextToVideoInput.safeParse({ prompt: "x" }).success) return undefined;
  return job.output.media_url[0] ?? event.status;
}
